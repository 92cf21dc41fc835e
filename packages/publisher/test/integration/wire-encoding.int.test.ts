import type { Channel, ConsumeMessage } from 'amqplib';
import { useBroker } from '@warren/testing';
import { declareRoute, openPublisher, rawChannel, watchForStrayErrors } from './helpers';

const broker = useBroker();
const stray = watchForStrayErrors();

/** Consumes (and acks) `count` messages from `queue` with a plain amqplib channel. */
function receive(channel: Channel, queue: string, count: number): Promise<ConsumeMessage[]> {
  const received: ConsumeMessage[] = [];
  return new Promise((resolve) => {
    void channel.consume(queue, (message) => {
      if (message === null) return;
      received.push(message);
      channel.ack(message);
      if (received.length === count) resolve(received);
    });
  });
}

/**
 * Warren encodes common publishes itself (core's `encodePublishFrames`); messages with nested headers or a body
 * over one frame take amqplib's encoder. Both kinds, mixed, must reach a plain amqplib consumer intact and in order.
 */
describe('publishes Warren encodes itself, on a real broker', () => {
  it('arrive with every property and body intact, in order with the ones amqplib encodes', async () => {
    const channel = await rawChannel(broker);
    const { exchange, queue, routingKey } = await declareRoute(broker, channel, { 'x-max-priority': 10 });
    const publisher = openPublisher(broker, stray);
    const properties = {
      contentType: 'text/plain; charset=utf-8',
      contentEncoding: 'identity',
      correlationId: 'corr-é',
      replyTo: 'somewhere',
      type: 'order.created',
      appId: 'wire-test',
      expiration: 600_000,
      priority: 7,
    };
    const bodyOf = (i: number): Buffer =>
      i % 4 === 2 ? Buffer.alloc(300_000, i) : Buffer.from(i % 4 === 3 ? '' : `message ${i} ✓`);
    // A flat table (Warren encodes it) or one with a nested table (amqplib does).
    const headersOf = (i: number) =>
      i % 8 === 1
        ? { n: i, big: 2 ** 40, ratio: 0.5, ok: true, none: null, tenant: 'tenant ✓' }
        : { n: i, nested: { a: 'b' } };
    const before = Math.floor(Date.now() / 1000);
    const sent = Array.from({ length: 40 }, (_, i) =>
      publisher.publishRaw(exchange, routingKey, bodyOf(i), {
        ...properties,
        messageId: `wire-${i}`,
        ...(i % 4 === 1 ? { headers: headersOf(i) } : {}),
      }),
    );
    await Promise.all(sent);

    const received = await receive(channel, queue, 40);
    // One priority for all, so the queue keeps publish order.
    expect(received.map((m) => m.properties.messageId)).toEqual(sent.map((_, i) => `wire-${i}`));
    for (const [i, message] of received.entries()) {
      expect(message.content.equals(bodyOf(i))).toBe(true);
      expect(message.properties).toMatchObject({ ...properties, expiration: '600000', deliveryMode: 2 });
      expect(message.properties.timestamp).toBeGreaterThanOrEqual(before);
      expect(message.properties.timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
      expect(message.properties.headers).toEqual(i % 4 === 1 ? headersOf(i) : {});
      expect(message.fields).toMatchObject({ exchange, routingKey });
    }
  });

  it('arrive whole and in order when one turn publishes more than a batch holds (64 KiB)', async () => {
    const channel = await rawChannel(broker);
    const { exchange, queue, routingKey } = await declareRoute(broker, channel);
    const publisher = openPublisher(broker, stray);
    const count = 300; // about 300 KiB in one event-loop turn: the batch is written several times before the turn ends
    const bodyOf = (i: number): Buffer => Buffer.alloc(1000 + (i % 50), i % 256);
    const sent = Array.from({ length: count }, (_, i) =>
      publisher.publishRaw(exchange, routingKey, bodyOf(i), { messageId: `burst-${i}` }),
    );
    await Promise.all(sent);

    const received = await receive(channel, queue, count);
    expect(received.map((m) => m.properties.messageId)).toEqual(sent.map((_, i) => `burst-${i}`));
    for (const [i, message] of received.entries()) expect(message.content.equals(bodyOf(i))).toBe(true);
  });
});
