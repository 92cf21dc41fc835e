import { deriveTopology, parseTopology } from '@warren/topology';
import {
  closeOnSignals,
  createConsumer,
  MemoryIdempotencyStore,
  PostgresIdempotencyStore,
  PostgresTransactionalStore,
  RedisIdempotencyStore,
  type Consumer,
} from '../src';

// Every options object of the consumer rejects a key it does not know (INVALID_OPTION, with a "did you mean").
const URLS = 'amqp://127.0.0.1:1';
const topology = deriveTopology(parseTopology({ queues: { orders: {} } }));
let consumer: Consumer;
beforeAll(() => void (consumer = createConsumer({ urls: URLS, topology })));
afterAll(() => consumer.close({ timeoutMs: 0 }));

const store = new MemoryIdempotencyStore();
const redis = { set: () => undefined, eval: () => undefined };
const cases: [string, () => unknown, RegExp][] = [
  ['createConsumer()', () => createConsumer({ urls: URLS, topology, retryDelay: 5 } as never), /"retryDelayMs"/],
  [
    'createConsumer() (connection)',
    () => createConsumer({ urls: URLS, topology, noDelays: true } as never),
    /"noDelay"/,
  ],
  ['consume()', () => consumer.consume('orders', () => undefined, { prefech: 5 } as never), /did you mean "prefetch"/],
  [
    'consume() waitForQueueMs',
    () => consumer.consume('orders', () => undefined, { waitForQueue: 5 } as never),
    /"waitForQueueMs"/,
  ],
  [
    'consume() idempotency',
    () => consumer.consume('orders', () => undefined, { idempotency: { store, ttl: 5 } } as never),
    /idempotency option "ttl"; did you mean "ttlMs"/,
  ],
  ['close()', () => consumer.close({ timeout: 5 } as never), /did you mean "timeoutMs"/],
  ['closeOnSignals()', () => closeOnSignals(consumer, { signal: ['SIGTERM'] } as never), /did you mean "signals"/],
  ['new MemoryIdempotencyStore()', () => new MemoryIdempotencyStore({ maxKey: 5 } as never), /"maxKeys"/],
  ['new RedisIdempotencyStore()', () => new RedisIdempotencyStore({ redis, prefx: 'a' } as never), /"prefix"/],
  [
    'new PostgresIdempotencyStore()',
    () => new PostgresIdempotencyStore({ pool: { query: () => undefined }, tabel: 't' } as never),
    /"table"/,
  ],
  [
    'new PostgresTransactionalStore()',
    () => new PostgresTransactionalStore({ pool: { connect: () => undefined }, tabel: 't' } as never),
    /"table"/,
  ],
];

describe('unknown option keys (consumer)', () => {
  it.each(cases)('%s rejects an unknown key with INVALID_OPTION', async (_name, call, message) => {
    const outcome = await (async () => call())().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringMatching(message) });
  });
});
