import { z } from 'zod';
import { defineContract } from '@warren/core';
import { type DesiredTopology } from '@warren/topology';
import { createConsumer, type Consumer } from '../src';

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

describe('createConsumer', () => {
  let consumer: Consumer;
  beforeEach(() => {
    // Nothing listens on port 1: the consumer keeps trying in the background until closed.
    consumer = createConsumer({ urls: 'amqp://guest:guest@127.0.0.1:1', topology });
  });
  afterEach(() => consumer.close({ timeoutMs: 0 }));

  it('rejects a queue that is not a work queue of the topology, naming the known ones', async () => {
    const error = await consumer.consume('shipping', () => undefined).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNKNOWN_QUEUE', message: expect.stringContaining('billing') });
  });

  it('rejects a contract without a queue', async () => {
    const contract = defineContract({ exchange: 'orders', routingKey: 'order.created', schema: z.object({}) });
    await expect(consumer.consume(contract, () => undefined)).rejects.toMatchObject({ code: 'INVALID_TARGET' });
  });

  it.each([0, -1, 1.5, 70_000])('rejects prefetch %p', async (prefetch) => {
    await expect(consumer.consume('billing', () => undefined, { prefetch })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
    });
  });

  it('rejects a bad idempotency option at subscription with INVALID_OPTION, naming it', async () => {
    const store = { claim: 'nope' } as never;
    await expect(consumer.consume('billing', () => undefined, { idempotency: { store } })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.stringContaining('idempotency.store'),
    });
  });

  it('is closed once, and refuses consume() afterwards', async () => {
    const closing = consumer.close();
    expect(consumer.close()).toBe(closing);
    await closing;
    await expect(consumer.consume('billing', () => undefined)).rejects.toMatchObject({ code: 'CONSUMER_CLOSED' });
  });

  it('reports empty stats before any delivery', () => {
    expect(consumer.stats()).toEqual({
      delivered: 0,
      acked: 0,
      retried: { total: 0, byTier: {} },
      deadLettered: { total: 0, byReason: {} },
      requeued: 0,
      duplicates: 0,
      inFlight: 0,
      handlerDuration: { count: 0, totalMs: 0, maxMs: 0, meanMs: 0 },
      subscriptions: [],
    });
  });
});
