import { EventEmitter } from 'node:events';
import { openConnection } from '@warren/core';
import { type DesiredTopology } from '@warren/topology';
import { createConsumer, type ConsumerOptions } from '../src';

/** Stands in for amqp-connection-manager: the test emits its 'connect' and 'disconnect' events. */
class FakeManager extends EventEmitter {
  readonly connection = undefined;
  close(): Promise<void> {
    return Promise.resolve();
  }
}

jest.mock('@warren/core', () => ({
  ...jest.requireActual<object>('@warren/core'),
  openConnection: jest.fn(() => new FakeManager()),
}));

const topology: DesiredTopology = {
  exchanges: [],
  queues: [],
  bindings: [],
  policies: [],
  workQueues: [
    {
      queue: 'billing',
      type: 'quorum',
      retryTiers: [],
      deadLetterQueue: 'billing.dlq',
      deadLetterExchange: 'billing.dlx',
    },
  ],
};

function consumerWith(options: Partial<ConsumerOptions> = {}) {
  const consumer = createConsumer({ urls: 'amqp://app:s3cret@node-1:5672/', topology, ...options });
  const manager = jest.mocked(openConnection).mock.results.at(-1)!.value as FakeManager;
  return { consumer, manager };
}

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return undefined;
}

describe('the consumer connection', () => {
  it("emits 'connected' with the node's URL, password masked, and 'disconnected' with a password-free reason", () => {
    const { consumer, manager } = consumerWith();
    const connected = jest.fn();
    const disconnected = jest.fn();
    consumer.on('connected', connected);
    consumer.on('disconnected', disconnected);

    manager.emit('connect', { connection: {}, url: 'amqp://app:s3cret@node-1:5672/' });
    manager.emit('connect', { connection: {}, url: { hostname: 'node-2', password: 's3cret' } });
    manager.emit('disconnect', { err: new Error('connect ECONNREFUSED amqp://app:s3cret@node-1:5672') });
    manager.emit('disconnect', {});

    expect(connected.mock.calls).toEqual([[{ url: 'amqp://app:***@node-1:5672/' }], [{ url: 'node-2' }]]);
    expect(disconnected.mock.calls).toEqual([
      [{ reason: 'connect ECONNREFUSED amqp://app:***@node-1:5672' }],
      [{ reason: 'connection closed' }],
    ]);
  });

  it('passes every connection option to openConnection', () => {
    consumerWith({ name: 'billing', heartbeatSeconds: 3, reconnectSeconds: 2, noDelay: false, retryDelayMs: 50 });
    expect(openConnection).toHaveBeenLastCalledWith(
      {
        urls: 'amqp://app:s3cret@node-1:5672/',
        name: 'billing',
        heartbeatSeconds: 3,
        reconnectSeconds: 2,
        noDelay: false,
      },
      expect.any(Function),
    );
  });

  it.each([
    { retryDelayMs: 0 },
    { retryDelayMs: -5 },
    { retryDelayMs: Number.NaN },
    { retryDelayMs: 2 ** 31 },
    { reconnectSeconds: 0 },
    { reconnectSeconds: Infinity },
  ])('rejects %p at construction with INVALID_OPTION', (options) => {
    const calls = jest.mocked(openConnection).mock.calls.length;
    expect(codeOf(() => createConsumer({ urls: 'amqp://h', topology, ...options }))).toBe('INVALID_OPTION');
    expect(jest.mocked(openConnection).mock.calls).toHaveLength(calls); // nothing was opened
  });

  it.each([0, 1.5, 2 ** 31])('rejects handlerTimeoutMs %p in consume() with INVALID_OPTION', async (ms) => {
    const { consumer } = consumerWith();
    await expect(consumer.consume('billing', () => undefined, { handlerTimeoutMs: ms })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('handlerTimeoutMs'),
    });
    await consumer.close({ timeoutMs: 0 });
  });
});
