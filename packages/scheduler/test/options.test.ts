import { parseTopology } from '@warren/topology';
import { createScheduler } from '../src';

const topology = parseTopology({
  exchanges: { jobs: { type: 'topic' } },
  schedules: { nightly: { cron: '0 3 * * *', contract: 'nightly' }, beat: { every: '1s', exchange: 'jobs' } },
});

const publisher = { publish: () => Promise.resolve(), publishRaw: () => Promise.resolve() };

describe('createScheduler options', () => {
  it.each([
    [{ urls: '', topology, publisher }, 'INVALID_URL', 'No AMQP URL'],
    [{ urls: 'amqp://x', publisher, topology: {} as never }, 'INVALID_OPTION', '`topology` must be a parsed topology'],
    [{ urls: 'amqp://x', publisher, topology }, 'INVALID_OPTION', 'schedule "nightly" publishes contract "nightly"'],
    [
      { urls: 'amqp://x', publisher, topology, contracts: { nightly: {} as never }, payloads: { nightlly: () => 1 } },
      'INVALID_OPTION',
      '`payloads` has a function for "nightlly"',
    ],
    [
      { urls: 'amqp://x', publisher, topology, contracts: { nightly: {} as never }, lateAfterMs: 0 },
      'INVALID_OPTION',
      'lateAfterMs',
    ],
    [
      { urls: 'amqp://x', publisher, topology, leasQueue: 'x' } as never,
      'INVALID_OPTION',
      'Unknown createScheduler() option "leasQueue"; did you mean "leaseQueue"?',
    ],
    [{ urls: 'amqp://x', topology, publisher: {} as never }, 'INVALID_OPTION', '`publisher` must publish the ticks'],
  ])('refuses %#', (options, code, message) => {
    expect(() => createScheduler(options)).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining(message) }),
    );
  });
});
