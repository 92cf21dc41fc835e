import { startFaultProxy, uniqueName, useBroker, type FaultProxy } from '@warren/testing';
import { until, useConsumerFixtures } from './helpers';

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
});
