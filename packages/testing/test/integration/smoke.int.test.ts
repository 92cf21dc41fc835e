import { connect } from 'amqplib';
import { uniqueName, useBroker } from '../../src';

/** The least a broker must do for Warren: AMQP publish with confirms, get, ack, and a management API. */
const broker = useBroker();

describe('broker smoke test', () => {
  it('comes from a container when WARREN_TEST_BROKER=container', () => {
    if (process.env.WARREN_TEST_BROKER === 'container') expect(broker.source).toBe('container');
    else expect(['env', 'local', 'container']).toContain(broker.source);
  });

  it('confirms a publish, delivers it, and answers on the management API', async () => {
    const connection = await connect(broker.amqpUrl);
    connection.on('error', () => undefined);
    const queue = uniqueName('warren-smoke');
    try {
      const channel = await connection.createConfirmChannel();
      await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      channel.sendToQueue(queue, Buffer.from('hello'), { persistent: true, messageId: 'm1' });
      await channel.waitForConfirms();
      const message = await channel.get(queue);
      expect(message && message.content.toString()).toBe('hello');
      if (message) channel.ack(message);
      const overview = await broker.management.overview();
      expect(overview.rabbitmq_version).toMatch(/^\d+\.\d+/);
      expect((await broker.management.queue(queue)).type).toBe('quorum');
    } finally {
      await broker.management.deleteQueue(queue);
      await connection.close();
    }
  });
});
