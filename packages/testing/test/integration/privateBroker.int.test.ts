import { connect } from 'amqplib';
import { startPrivateBroker, TestManagementClient, uniqueName, useBroker, type PrivateBroker } from '../../src';

/** A private broker is a separate RabbitMQ: what is declared or faulted on it never reaches the shared one. */
const shared = useBroker();
let privateBroker: PrivateBroker | undefined;

afterAll(async () => {
  await privateBroker?.stop();
}, 60_000);

describe('startPrivateBroker', () => {
  it('starts a broker of its own, runs rabbitmqctl against it only, and stops it', async () => {
    privateBroker = await startPrivateBroker();
    expect(privateBroker.amqpUrl).not.toBe(shared.amqpUrl);
    if (process.env.WARREN_TEST_BROKER === 'container') expect(privateBroker.source).toBe('container');

    const queue = uniqueName('warren-private');
    const connection = await connect(privateBroker.amqpUrl);
    connection.on('error', () => undefined);
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { durable: false });
    await connection.close();

    expect(await privateBroker.rabbitmqctl(['list_queues', 'name'])).toContain(queue);
    const management = new TestManagementClient(privateBroker.managementUrl);
    expect((await management.queue(queue)).name).toBe(queue);
    expect((await shared.management.queues(['name'])).map((q) => q.name)).not.toContain(queue);

    const stopped = privateBroker;
    privateBroker = undefined;
    await stopped.stop();
    await expect(connect(stopped.amqpUrl)).rejects.toThrow();
  }, 180_000);
});
