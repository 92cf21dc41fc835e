import { deriveTopology, parseTopology, TopologyValidationError, type TopologyInput } from '../src';

const derive = (input: TopologyInput) => deriveTopology(parseTopology(input));
const ladderQueues = (input: TopologyInput) => derive(input).queues.filter((q) => q.role === 'delay');

describe('the delay ladder in the derived topology', () => {
  it('is absent unless something is scheduled', () => {
    const desired = derive({ exchanges: { orders: { type: 'topic' } }, queues: { billing: {} } });
    expect(desired.queues.map((q) => q.name)).toEqual(['billing', 'billing.dlq']);
    expect(desired.exchanges.some((e) => e.name.startsWith('warren.delay'))).toBe(false);
  });

  it('has 22 quorum levels with TTL 2^n s dead-lettering at least once to the next hop, and a delivery exchange', () => {
    const input: TopologyInput = { exchanges: { orders: { type: 'topic', scheduling: true } } };
    const levels = ladderQueues(input);
    expect(levels).toHaveLength(22);
    expect(levels[0]).toMatchObject({
      name: 'warren.delay.level.21',
      type: 'quorum',
      arguments: {
        'x-message-ttl': 2 ** 21 * 1000,
        'x-dead-letter-exchange': 'warren.delay.level.20',
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
    });
    expect(levels[21]).toMatchObject({ arguments: { 'x-dead-letter-exchange': 'warren.delay.deliver' } });
    const exchanges = derive(input).exchanges.filter((e) => e.name.startsWith('warren.delay'));
    expect(exchanges).toHaveLength(23);
    expect(exchanges.every((e) => e.type === 'topic')).toBe(true);
  });

  it('reproduces each binding of a scheduled exchange on the delivery exchange', () => {
    const stars = Array<string>(22).fill('*').join('.');
    const desired = derive({
      exchanges: {
        orders: { type: 'topic', scheduling: true },
        events: { type: 'fanout', scheduling: true },
        plain: { type: 'direct' },
      },
      queues: {
        billing: {
          bindings: [
            { exchange: 'orders', routingKey: 'order.*' },
            { exchange: 'events' },
            { exchange: 'plain', routingKey: 'k' },
          ],
        },
      },
    });
    const delivery = desired.bindings.filter((b) => b.source === 'warren.delay.deliver');
    expect(delivery.map((b) => [b.destination, b.routingKey])).toEqual([
      ['billing', `${stars}.orders.order.*`],
      ['billing', `${stars}.events.#`],
    ]);
    // 2 per level (hold or pass on) + the 2 delivery bindings.
    expect(desired.bindings.filter((b) => b.source.startsWith('warren.delay'))).toHaveLength(46);
  });

  it('schedules every exchange and the default exchange with the file-wide flag, except an opt-out', () => {
    const desired = derive({
      scheduling: true,
      exchanges: { a: { type: 'direct' }, b: { type: 'direct', scheduling: false } },
      queues: {
        q: {
          bindings: [
            { exchange: 'a', routingKey: 'x' },
            { exchange: 'b', routingKey: 'y' },
          ],
        },
      },
    });
    const keys = desired.bindings.filter((b) => b.source === 'warren.delay.deliver').map((b) => b.routingKey);
    expect(keys.map((k) => k.split('.').slice(22).join('.'))).toEqual(['amq%2Edefault.q', 'a.x']);
  });

  it('refuses what the ladder cannot deliver: headers exchanges, exchange bindings out of it, wildcard direct keys', () => {
    const parse = (): unknown =>
      parseTopology({
        scheduling: true,
        exchanges: {
          h: { type: 'headers' },
          d: { type: 'direct' },
          next: { type: 'topic', bindings: [{ exchange: 'd', routingKey: 'k' }] },
        },
        queues: { q: { bindings: [{ exchange: 'd', routingKey: 'a.*' }] } },
      });
    expect(parse).toThrow(TopologyValidationError);
    const issues = (() => {
      try {
        parse();
      } catch (error) {
        return (error as TopologyValidationError).issues.map((i) => i.message);
      }
      return [];
    })();
    expect(issues).toEqual([
      expect.stringContaining('headers exchange cannot be scheduled'),
      expect.stringContaining('cannot forward to another exchange'),
      expect.stringContaining('direct binding key'),
    ]);
  });
});
