import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { queueDepth, uniqueName, useBroker } from '../../src';

const broker = useBroker();
const connectionName = uniqueName('warren-testing-mgmt');
let connection: ChannelModel;
let channel: ConfirmChannel;
const queue = uniqueName('warren-testing-q');

beforeAll(async () => {
  connection = await connect(broker.amqpUrl, { clientProperties: { connection_name: connectionName } });
  connection.on('error', () => undefined);
  channel = await connection.createConfirmChannel();
  channel.on('error', () => undefined);
  await channel.assertQueue(queue, { durable: false });
});
afterAll(async () => {
  await broker.management.deleteQueue(queue);
  await connection.close().catch(() => undefined);
});

async function publish(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) channel.sendToQueue(queue, Buffer.from(`m${i}`));
  await channel.waitForConfirms();
}

describe('TestManagementClient', () => {
  it('lists a queue declared by the test with the right message count', async () => {
    await publish(3);
    expect(await queueDepth(broker.amqpUrl, queue)).toBe(3);
    const info = await broker.management.waitForQueueMessages(queue, 3, 20_000);
    expect(info).toMatchObject({ name: queue, messages: 3, ready: 3, unacked: 0, consumers: 0, prefetch: [] });
  });

  it('reports consumers, their prefetch and unacknowledged messages', async () => {
    const consumer = await connection.createChannel();
    await consumer.prefetch(2);
    await consumer.consume(queue, () => undefined);
    await consumer.prefetch(7);
    await consumer.consume(queue, () => undefined);
    const info = await waitForStats(
      () => broker.management.queueInfo(queue),
      (i) => i.unacked === 3 && i.consumers === 2 && i.prefetch.length === 2,
    );
    expect(info).toMatchObject({ messages: 3, ready: 0, unacked: 3, consumers: 2 });
    expect([...info.prefetch].sort()).toEqual([2, 7]);
    await consumer.close();
  });

  it('finds a connection by its client-given name and force-closes it', async () => {
    const name = uniqueName('warren-testing-victim');
    const victim = await connect(broker.amqpUrl, { clientProperties: { connection_name: name } });
    victim.on('error', () => undefined);
    const closed = new Promise((resolve) => victim.once('close', resolve));
    try {
      const found = await broker.management.connectionByName(name, 20_000);
      expect(found.user_provided_name).toBe(name);
      await broker.management.closeConnection(name);
      await expect(closed).resolves.toBeDefined();
    } finally {
      await victim.close().catch(() => undefined);
    }
  });

  it('fails with WAIT_TIMEOUT when a queue never reaches the count', async () => {
    await expect(broker.management.waitForQueueMessages(queue, 99, 300)).rejects.toMatchObject({
      code: 'WAIT_TIMEOUT',
    });
  });

  it('deleteQueue() ignores a missing queue', async () => {
    await expect(broker.management.deleteQueue(uniqueName('never-declared'))).resolves.toBeUndefined();
  });
});

/** Management stats lag up to ~5 s: poll until they show what the test did. */
async function waitForStats<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
