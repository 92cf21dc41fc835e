import { z } from 'zod';
import { defineContract, HEADERS } from '@warren/core';
import { uniqueName, useBroker } from '@warren/testing';
import { NonRetryableError } from '../../src';
import { sleep, until, useConsumerFixtures } from './helpers';

const broker = useBroker();
const fx = useConsumerFixtures(broker);

/** A topic exchange and one quorum work queue with tiers of 200 ms and 400 ms and a dead-letter queue. */
async function workQueue(retry: false | { delays: string[] } = { delays: ['200ms', '400ms'] }) {
  const exchange = uniqueName('con-orders');
  const queue = uniqueName('con-billing');
  const topology = await fx.declare({
    exchanges: { [exchange]: { type: 'topic' } },
    queues: { [queue]: { bindings: [{ exchange, routingKey: 'order.*' }], retry } },
  });
  return { exchange, queue, topology };
}

describe('retries and the dead-letter queue', () => {
  it('calls a handler that fails twice then succeeds 3 times, with attempts 1-3 and the tier delays', async () => {
    const { exchange, queue, topology } = await workQueue();
    const calls: { attempt: number; at: number }[] = [];
    const consumer = fx.consumer(topology);
    await consumer.consume(queue, (_payload, ctx) => {
      calls.push({ attempt: ctx.attempt, at: Date.now() });
      if (ctx.attempt < 3) throw new Error(`failure ${ctx.attempt}`);
    });
    await fx.publish(exchange, 'order.created', { id: 1 }, { messageId: 'm-1' });
    await until('the third attempt', () => consumer.stats().acked === 1);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    const [first, second, third] = calls.map((c) => c.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(190);
    expect(second - first).toBeLessThan(1200);
    expect(third - second).toBeGreaterThanOrEqual(390);
    expect(third - second).toBeLessThan(1400);
    expect(consumer.stats().retried).toEqual({ total: 2, byTier: { '200ms': 1, '400ms': 1 } });
  });

  it('parks an always-failing message after exactly 1 + tiers attempts, with its error headers', async () => {
    const { exchange, queue, topology } = await workQueue();
    const attempts: number[] = [];
    const consumer = fx.consumer(topology);
    await consumer.consume(queue, (_payload, ctx) => {
      attempts.push(ctx.attempt);
      throw new Error(`boom on attempt ${ctx.attempt}`);
    });
    await fx.publish(exchange, 'order.created', { id: 2 }, { messageId: 'm-2' });
    await until('the dead letter', () => consumer.stats().deadLettered.total === 1);
    await consumer.close();
    expect(attempts).toEqual([1, 2, 3]);
    const [parked, ...more] = await fx.drain(`${queue}.dlq`);
    expect(more).toEqual([]);
    expect(parked!.properties.messageId).toBe('m-2');
    expect(JSON.parse(parked!.content.toString())).toEqual({ id: 2 });
    const headers = parked!.properties.headers!;
    expect(headers).toMatchObject({
      [HEADERS.reason]: 'retries-exhausted',
      [HEADERS.attempt]: 3,
      [HEADERS.error]: 'boom on attempt 3',
      [HEADERS.originalExchange]: exchange,
      [HEADERS.originalRoutingKey]: 'order.created',
      [HEADERS.queue]: queue,
    });
    const first = Date.parse(headers[HEADERS.firstFailureAt] as string);
    const last = Date.parse(headers[HEADERS.lastFailureAt] as string);
    expect(last - first).toBeGreaterThanOrEqual(590);
    for (const q of [queue, `${queue}.retry.200ms`, `${queue}.retry.400ms`]) expect(await fx.depth(q)).toBe(0);
  });

  it('sends invalid JSON and schema failures straight to the dead-letter queue', async () => {
    const { exchange, queue, topology } = await workQueue();
    const contract = defineContract({
      exchange,
      routingKey: 'order.created',
      queue,
      schema: z.object({ id: z.number() }),
    });
    const handler = jest.fn();
    const consumer = fx.consumer(topology);
    await consumer.consume(contract, handler);
    await fx.publish(exchange, 'order.created', Buffer.from('{"id":'), { messageId: 'bad-json' });
    await fx.publish(exchange, 'order.created', { id: 'not a number' }, { messageId: 'bad-schema' });
    await fx.publish(exchange, 'order.created', Buffer.from('<xml/>'), { messageId: 'xml', contentType: 'text/xml' });
    await until('three dead letters', () => consumer.stats().deadLettered.total === 3);
    expect(handler).not.toHaveBeenCalled();
    const parked = await fx.drain(`${queue}.dlq`);
    const reasons = Object.fromEntries(
      parked.map((m) => [m.properties.messageId, m.properties.headers![HEADERS.reason]]),
    );
    expect(reasons).toEqual({
      'bad-json': 'invalid-json',
      'bad-schema': 'schema-validation',
      xml: 'content-type-mismatch', // a contract expects its codec's content type
    });
    expect(parked.every((m) => m.properties.headers![HEADERS.attempt] === 1)).toBe(true);
  });

  it('parks a NonRetryableError at once', async () => {
    const { exchange, queue, topology } = await workQueue();
    const consumer = fx.consumer(topology);
    const handler = jest.fn(() => {
      throw new NonRetryableError('order 7 does not exist');
    });
    await consumer.consume(queue, handler);
    await fx.publish(exchange, 'order.created', { id: 7 });
    await until('the dead letter', () => consumer.stats().deadLettered.total === 1);
    expect(handler).toHaveBeenCalledTimes(1);
    const [parked] = await fx.drain(`${queue}.dlq`);
    expect(parked!.properties.headers).toMatchObject({
      [HEADERS.reason]: 'non-retryable',
      [HEADERS.error]: 'order 7 does not exist',
    });
  });

  it('retries only the queue that failed: the other queue bound to a fan-out exchange sees the message once', async () => {
    const exchange = uniqueName('con-fanout');
    const failing = uniqueName('con-failing');
    const healthy = uniqueName('con-healthy');
    const topology = await fx.declare({
      exchanges: { [exchange]: { type: 'fanout' } },
      queues: {
        [failing]: { bindings: [{ exchange }], retry: { delays: ['200ms'] } },
        [healthy]: { bindings: [{ exchange }], retry: { delays: ['200ms'] } },
      },
    });
    const consumer = fx.consumer(topology);
    let failingCalls = 0;
    let healthyCalls = 0;
    await consumer.consume(failing, (_payload, ctx) => {
      failingCalls++;
      if (ctx.attempt === 1) throw new Error('first attempt fails');
    });
    await consumer.consume(healthy, () => void healthyCalls++);
    await fx.publish(exchange, '', { id: 3 });
    await until('the retry to succeed', () => consumer.stats().acked === 2);
    await sleep(500);
    expect(failingCalls).toBe(2);
    expect(healthyCalls).toBe(1);
  });

  it('retries a handler that times out, aborting its signal', async () => {
    const { exchange, queue, topology } = await workQueue({ delays: ['200ms'] });
    const consumer = fx.consumer(topology);
    const aborted: boolean[] = [];
    await consumer.consume(
      queue,
      async (_payload, ctx) => {
        if (ctx.attempt === 1) await sleep(5_000, ctx.signal).catch(() => aborted.push(ctx.signal.aborted));
      },
      { handlerTimeoutMs: 100 },
    );
    await fx.publish(exchange, 'order.created', { id: 4 });
    await until('the second attempt', () => consumer.stats().acked === 1);
    expect(aborted).toEqual([true]);
    expect(consumer.stats().retried.total).toBe(1);
  });
});
