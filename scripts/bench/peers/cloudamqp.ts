/**
 * @cloudamqp/amqp-client (see harness.ts): a channel in confirm mode, whose `basicPublish` resolves on the broker's
 * confirm, and `basicConsume` after `basicQos`, acking each message.
 */
import { AMQPClient } from '@cloudamqp/amqp-client';
import { AMQP_URL, runPeer, type Peer } from './harness';

const PERSISTENT = { deliveryMode: 2, contentType: 'application/json' };

async function open() {
  const client = new AMQPClient(AMQP_URL, undefined, null);
  const connection = await client.connect();
  return { connection, channel: await connection.channel() };
}

function cloudamqpPeer(): Peer {
  return {
    publisher: async (queue) => {
      const { connection, channel } = await open();
      await channel.confirmSelect();
      return {
        publish: ({ body }) => channel.basicPublish('', queue, body, PERSISTENT),
        close: () => connection.close(),
      };
    },
    consumer: async () => {
      const { connection, channel } = await open();
      return {
        consume: async (queue, prefetch, onMessage) => {
          await channel.basicQos(prefetch);
          await channel.basicConsume(queue, { noAck: false }, async (message) => {
            onMessage(message.body as Uint8Array);
            await message.ack();
          });
        },
        close: () => connection.close(),
      };
    },
  };
}

runPeer(cloudamqpPeer);
