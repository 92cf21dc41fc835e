import { defineTopology, parseTopology, TopologyValidationError, type Topology, type TopologyInput } from '../src';

describe('defineTopology', () => {
  it('returns the topology it is given, ready for parseTopology', () => {
    const input = defineTopology({ queues: { billing: { retry: { delays: ['1s', 500] } } } });
    expect(parseTopology(input).queues.billing?.retry).toEqual({ delays: [1000, 500] });
  });

  it('rejects unknown keys and wrong values at compile time (checked by tsc -b)', () => {
    const typos: TopologyInput[] = [
      // @ts-expect-error -- a misspelt limit
      defineTopology({ queues: { q: { limits: { maxLength: 1, maxLenght: 2 } } } }),
      // @ts-expect-error -- not a queue type
      defineTopology({ queues: { q: { type: 'stream' } } }),
      // @ts-expect-error -- retry is false or { delays }
      defineTopology({ queues: { q: { retry: true } } }),
    ];
    // At run time the same mistakes are validation errors.
    for (const typo of typos) expect(() => parseTopology(typo)).toThrow(TopologyValidationError);
  });

  it('infers a fully defaulted Topology from the schema', () => {
    const topology: Topology = parseTopology({ queues: { q: {} } });
    const type: 'quorum' | 'classic' | undefined = topology.queues.q?.type;
    expect(type).toBe('quorum');
  });
});
