/**
 * Raw amqplib (see harness.ts): a ConfirmChannel's publish callback, a channel with `prefetch` and an ack per
 * message. `--no-delay` sets TCP_NODELAY on both connections (amqplib's default leaves Nagle's algorithm on).
 * `--warren-properties` publishes with the properties Warren sets on every message (a 22-character message id, a
 * timestamp, mandatory): what they cost the broker, apart from any client.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Options } from 'amqplib';
import { AMQP_URL, runPeer, type Peer } from './harness';

const PERSISTENT = { persistent: true, contentType: 'application/json' };

/** Warren's properties; ids are made 256 at a time (one call into crypto per 256 messages, a small part of the CPU). */
function warrenProperties(): () => Options.Publish {
  let ids: string[] = [];
  return () => {
    if (ids.length === 0) ids = Array.from({ length: 256 }, () => randomBytes(17).toString('base64url').slice(0, 22));
    const messageId = ids.pop()!;
    return { ...PERSISTENT, mandatory: true, messageId, timestamp: Math.floor(Date.now() / 1000) };
  };
}

function amqplibPeer(flags: string[]): Peer {
  const noDelay = flags.includes('--no-delay');
  const properties = flags.includes('--warren-properties') ? warrenProperties() : () => PERSISTENT;
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
            channel.publish('', queue, body, properties(), (error: unknown) =>
              error ? reject(error) : resolve(error),
            ),
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
