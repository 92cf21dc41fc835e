// A user's TypeScript against the public API, type-checked with moduleResolution nodenext.
import { WarrenError, defineContract, type WarrenCode } from '@warren/core';
import { defineTopology, deriveTopology, parseTopology, planTopology, type TopologyPlan } from '@warren/topology';
import { createPublisher, type PublisherOptions } from '@warren/publisher';
import { createConsumer, NonRetryableError, type MessageContext } from '@warren/consumer';
import { startBroker, uniqueName, type TestBroker } from '@warren/testing';
import { z } from 'zod';

const desired = deriveTopology(
  parseTopology(
    defineTopology({
      exchanges: { orders: { type: 'topic' } },
      queues: { 'orders.created': { type: 'quorum', bindings: [{ exchange: 'orders', routingKey: 'order.created' }] } },
    }),
  ),
);

const OrderCreated = defineContract({
  exchange: 'orders',
  routingKey: 'order.created',
  queue: 'orders.created',
  schema: z.object({ orderId: z.string() }),
});

export async function main(): Promise<void> {
  const broker: TestBroker = await startBroker();
  const options: PublisherOptions = { urls: [broker.amqpUrl] };
  const publisher = createPublisher(options);
  await publisher.publish(OrderCreated, { orderId: uniqueName('order') });
  const consumer = createConsumer({ urls: [broker.amqpUrl], topology: desired });
  await consumer.consume(OrderCreated, async (message, ctx: MessageContext) => {
    if (message.orderId === '') throw new NonRetryableError('empty order id');
    return ctx.messageId;
  });
  const plan: TopologyPlan = await planTopology(desired, { amqpUrl: broker.amqpUrl });
  const code: WarrenCode = new WarrenError('INVALID_URL', 'x').code;
  console.log(plan, code);
}
