/**
 * amqp-connection-manager (see harness.ts): a ChannelWrapper in confirm mode (its default), whose `publish` resolves
 * on the broker's confirm, and its `consume` with `prefetch`, acking each message through the wrapper.
 */
import { connect, type AmqpConnectionManager } from 'amqp-connection-manager';
import { AMQP_URL, runPeer, type Peer } from './harness';

const PERSISTENT = { persistent: true, contentType: 'application/json' };

async function open(): Promise<AmqpConnectionManager> {
  const manager = connect([AMQP_URL]);
  manager.on('connectFailed', () => undefined);
  await manager.connect({ timeout: 10_000 });
  return manager;
}

function connectionManagerPeer(): Peer {
  return {
    publisher: async (queue) => {
      const manager = await open();
      const channel = manager.createChannel({ confirm: true });
      await channel.waitForConnect();
      return {
        publish: ({ body }) => channel.publish('', queue, body, PERSISTENT),
        close: () => manager.close(),
      };
    },
    consumer: async () => {
      const manager = await open();
      const channel = manager.createChannel();
      await channel.waitForConnect();
      return {
        consume: async (queue, prefetch, onMessage) => {
          await channel.consume(
            queue,
            (message) => {
              onMessage(message.content);
              channel.ack(message);
            },
            { prefetch },
          );
        },
        close: () => manager.close(),
      };
    },
  };
}

runPeer(connectionManagerPeer);
