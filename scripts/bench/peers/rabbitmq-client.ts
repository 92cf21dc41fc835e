/**
 * rabbitmq-client (see harness.ts): a Publisher with `confirm: true`, whose `send` resolves on the broker's confirm,
 * and a Consumer with `qos.prefetchCount`, which acks when the handler returns. It parses `application/json` bodies
 * itself (its default), so its consumer does a JSON decode the raw clients don't.
 */
import { Connection, type AsyncMessage } from 'rabbitmq-client';
import { AMQP_URL, runPeer, type Payload, type Peer } from './harness';

async function open(): Promise<Connection> {
  const rabbit = new Connection({ url: AMQP_URL, connectionName: 'warren-bench-peers' });
  rabbit.on('error', () => undefined);
  await rabbit.onConnect(10_000);
  return rabbit;
}

function rabbitmqClientPeer(): Peer {
  return {
    publisher: async (queue) => {
      const rabbit = await open();
      const publisher = rabbit.createPublisher({ confirm: true });
      const envelope = { routingKey: queue, durable: true, contentType: 'application/json' };
      return {
        publish: ({ body }) => publisher.send(envelope, body),
        close: async () => {
          await publisher.close();
          await rabbit.close();
        },
      };
    },
    consumer: async () => {
      const rabbit = await open();
      let close = (): Promise<void> => rabbit.close();
      return {
        consume: async (queue, prefetch, onMessage) => {
          // Passive: the driver declared the queue (durable, with arguments); a plain declare would not match it.
          const props = { queue, queueOptions: { passive: true }, qos: { prefetchCount: prefetch } };
          const consumer = rabbit.createConsumer(props, (message: AsyncMessage) => {
            onMessage(message.body as Buffer | Payload);
          });
          consumer.on('error', (error) => console.error(error));
          await new Promise<void>((resolve) => consumer.once('ready', resolve));
          close = async () => {
            await consumer.close();
            await rabbit.close();
          };
        },
        close: () => close(),
      };
    },
  };
}

runPeer(rabbitmqClientPeer);
