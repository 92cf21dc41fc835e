import { startFaultProxy, uniqueName, useBroker, type FaultProxy } from '@warren/testing';
import { sleep, until, useConsumerFixtures } from './helpers';

const broker = useBroker();
const fx = useConsumerFixtures(broker);
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('recovery', () => {
  it('restores the subscription and its prefetch after the proxy cuts the connection', async () => {
    const queue = uniqueName('con-cut');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    proxy = await startFaultProxy({ target: broker.amqpUrl });
    const consumer = fx.consumer(topology, { urls: proxy.url });
    const received: string[] = [];
    let subscribed = 0;
    consumer.on('subscribed', () => subscribed++);
    await consumer.consume(queue, (_payload, ctx) => void received.push(ctx.messageId!), { prefetch: 13 });
    await until('the consumer in the management API', async () => {
      const info = await broker.management.queueInfo(queue);
      return info.consumers === 1 && info.prefetch[0] === 13;
    });

    proxy.cut();
    await until('the re-subscription', () => subscribed === 2);
    await until('the restored consumer and prefetch in the management API', async () => {
      const info = await broker.management.queueInfo(queue);
      return info.consumers === 1 && info.prefetch.join() === '13';
    });
    await fx.publish('', queue, { after: 'cut' }, { messageId: 'after-cut' });
    await until('the message after the cut', () => received.includes('after-cut'));
  });

  it("reports 'connected' with the node's masked URL and 'disconnected' with a reason across a cut", async () => {
    const queue = uniqueName('con-events');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    proxy = await startFaultProxy({ target: broker.amqpUrl });
    const { password } = new URL(proxy.url);
    const consumer = fx.consumer(topology, { urls: proxy.url, reconnectSeconds: 0.2 });
    const connected: { url: string }[] = [];
    const disconnected: { reason: string }[] = [];
    consumer.on('connected', (event) => connected.push(event));
    consumer.on('disconnected', (event) => disconnected.push(event));
    await consumer.consume(queue, () => undefined);

    proxy.cut();
    await until('the reconnect', () => connected.length === 2);
    expect(disconnected).toHaveLength(1);
    expect(disconnected[0]!.reason).toEqual(expect.any(String));
    expect(disconnected[0]!.reason).not.toBe('');
    const masked = proxy.url.replace(`:${password}@`, ':***@');
    expect(connected).toEqual([{ url: masked }, { url: masked }]);
    expect(JSON.stringify([connected, disconnected])).not.toContain(`:${password}@`);
  });

  it('reports a broker cancel when the queue is deleted and re-subscribes when it is back', async () => {
    const queue = uniqueName('con-cancel');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    const consumer = fx.consumer(topology);
    const received: string[] = [];
    const cancelled: string[] = [];
    consumer.on('cancelled', (event) => cancelled.push(event.queue));
    await consumer.consume(queue, (_payload, ctx) => void received.push(ctx.messageId!));

    await broker.management.request(
      'DELETE',
      broker.management.path('/api/queues/{vhost}/{name}', broker.vhost, queue),
    );
    await until('the cancel notification', () => cancelled.length === 1);
    expect(cancelled).toEqual([queue]);
    await fx.declare({ queues: { [queue]: {} } });
    await fx.publish('', queue, {}, { messageId: 'back' });
    await until('the message in the re-created queue', () => received.includes('back'));
  });

  it('parks a message that keeps killing its worker in the dead-letter queue (quorum delivery-limit)', async () => {
    const queue = uniqueName('con-poison');
    const topology = await fx.declare({ queues: { [queue]: { type: 'quorum', limits: { deliveryLimit: 2 } } } });
    proxy = await startFaultProxy({ target: broker.amqpUrl });
    const crashing = proxy;
    const consumer = fx.consumer(topology, { urls: proxy.url });
    let deliveries = 0;
    // The "crash": the connection dies while the handler runs, every time, before anything is settled.
    consumer.on('delivered', () => {
      deliveries++;
      setTimeout(() => crashing.cut(), 50);
    });
    await consumer.consume(queue, (_payload, ctx) => sleep(60_000, ctx.signal));
    await fx.publish('', queue, { poison: true }, { messageId: 'poison' });
    await until('the broker to dead-letter the message', async () => (await fx.depth(`${queue}.dlq`)) === 1, 30_000);
    expect(deliveries).toBe(3);
    expect(consumer.stats().acked).toBe(0);
    const [parked] = await fx.drain(`${queue}.dlq`);
    expect(parked!.properties.messageId).toBe('poison');
    expect(await fx.depth(queue)).toBe(0);
  });

  it('stops with ACCESS_REFUSED on a wrong password, rejecting consume() and keeping the password out', async () => {
    const queue = uniqueName('con-denied');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    const url = new URL(broker.amqpUrl);
    url.password = 'not-the-password';
    const consumer = fx.consumer(topology, { urls: url.toString() });
    const failed = new Promise((resolve) => consumer.once('failed', resolve));
    const error = await consumer.consume(queue, () => undefined).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ACCESS_REFUSED', replyCode: 403 });
    expect(await failed).toBe(error);
    expect((error as Error).message).not.toContain('not-the-password');
  });
});
