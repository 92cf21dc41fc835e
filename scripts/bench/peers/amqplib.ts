/**
 * Raw amqplib (see harness.ts): a ConfirmChannel's publish callback, a channel with `prefetch` and an ack per
 * message. `--no-delay` sets TCP_NODELAY on both connections (amqplib's default leaves Nagle's algorithm on).
 */
import { connect } from 'amqplib';
import { AMQP_URL, runPeer, type Peer } from './harness';

const PERSISTENT = { persistent: true, contentType: 'application/json' };

function amqplibPeer(flags: string[]): Peer {
  const noDelay = flags.includes('--no-delay');
  const open = async () => {
    const model = await connect(AMQP_URL, { noDelay });
    model.on('error', () => undefined);
    return model;
  };
  return {
    publisher: async (queue) => {
      const model = await open();
      const channel = await model.createConfirmChannel();
      channel.on('error', () => undefined);
      return {
        publish: ({ body }) =>
          new Promise((resolve, reject) =>
            channel.publish('', queue, body, PERSISTENT, (error: unknown) => (error ? reject(error) : resolve(error))),
          ),
        close: () => model.close(),
      };
    },
    consumer: async () => {
      const model = await open();
      const channel = await model.createChannel();
      channel.on('error', () => undefined);
      return {
        consume: async (queue, prefetch, onMessage) => {
          await channel.prefetch(prefetch);
          await channel.consume(queue, (message) => {
            if (!message) return;
            onMessage(message.content);
            channel.ack(message);
          });
        },
        close: () => model.close(),
      };
    },
  };
}

runPeer(amqplibPeer);
