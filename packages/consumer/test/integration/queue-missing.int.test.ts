import { deriveTopology, parseTopology } from '@warren/topology';
import { uniqueName, useBroker } from '@warren/testing';
import { ConsumerError } from '../../src';
import { sleep, until, useConsumerFixtures } from './helpers';

const broker = useBroker();
const fx = useConsumerFixtures(broker);

/** A topology that names the queue but was never applied: the queue does not exist on the broker. */
function unapplied(queue: string) {
  return deriveTopology(parseTopology({ queues: { [queue]: {} } }));
}

describe('a queue missing on the broker', () => {
  it('consume() of a queue that was never applied rejects within 1 s with QUEUE_NOT_FOUND, then stays quiet', async () => {
    const queue = uniqueName('con-missing');
    const consumer = fx.consumer(unapplied(queue));
    const warnings: string[] = [];
    consumer.on('warning', (event) => warnings.push(event.message));
    await consumer.consume(queue, () => undefined).catch(() => undefined); // connected, warmed up
    const started = Date.now();
    const error = await consumer.consume(queue, () => undefined).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(ConsumerError);
    expect(error).toMatchObject({ code: 'QUEUE_NOT_FOUND', replyCode: 404 });
    expect((error as Error).message).toContain('warren apply');
    await sleep(500); // retryDelayMs is 100: a retry loop would warn about five times by now
    expect(warnings).toEqual([]);
    expect(consumer.stats().subscriptions).toEqual([]);
  });

  it('the first consume() rejects too, before the connection is even up', async () => {
    const queue = uniqueName('con-missing-first');
    const started = Date.now();
    const error = await fx
      .consumer(unapplied(queue))
      .consume(queue, () => undefined)
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toMatchObject({ code: 'QUEUE_NOT_FOUND' });
  });

  it('with waitForQueueMs, consume() waits for the queue to be applied, and rejects when it is not in time', async () => {
    const queue = uniqueName('con-wait');
    const consumer = fx.consumer(unapplied(queue));
    const waiting = consumer.consume(queue, () => undefined, { waitForQueueMs: 10_000 });
    await sleep(400);
    expect(consumer.stats().subscriptions).toEqual([{ queue, state: 'queue-missing' }]);
    await fx.declare({ queues: { [queue]: {} } });
    await expect(waiting).resolves.toBeUndefined();
    expect(consumer.stats().subscriptions).toEqual([{ queue, state: 'consuming' }]);

    const never = uniqueName('con-wait-never');
    const started = Date.now();
    const error = await fx
      .consumer(unapplied(never))
      .consume(never, () => undefined, { waitForQueueMs: 600 })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ code: 'QUEUE_NOT_FOUND' });
    expect((error as Error).message).toContain('waitForQueueMs (600 ms)');
  });

  it('a queue deleted later is a state (queue-missing) and one event, not a warning per retry; it recovers', async () => {
    const queue = uniqueName('con-deleted');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    const consumer = fx.consumer(topology);
    const missing: string[] = [];
    const warnings: string[] = [];
    const received: string[] = [];
    consumer.on('queueMissing', (event) => missing.push(event.queue));
    consumer.on('warning', (event) => warnings.push(event.message));
    await consumer.consume(queue, (_payload, ctx) => void received.push(ctx.messageId!));
    expect(consumer.stats().subscriptions).toEqual([{ queue, state: 'consuming' }]);

    await broker.management.request(
      'DELETE',
      broker.management.path('/api/queues/{vhost}/{name}', broker.vhost, queue),
    );
    await until('the queue-missing state', () => consumer.stats().subscriptions[0]?.state === 'queue-missing');
    await sleep(1_000); // ten re-subscribe attempts at retryDelayMs 100
    expect(missing).toEqual([queue]);
    expect(warnings.length).toBeLessThanOrEqual(2); // the cancel, and the queue missing: once each

    await fx.declare({ queues: { [queue]: {} } });
    await until('the consuming state', () => consumer.stats().subscriptions[0]?.state === 'consuming');
    await fx.publish('', queue, {}, { messageId: 'back' });
    await until('the message in the re-created queue', () => received.includes('back'));
  });
});
