import { connect } from 'amqplib';
import { decode, encode } from '@msgpack/msgpack';
import { z } from 'zod';
import { defineContract, HEADERS, rawCodec, type Codec } from '@warren/core';
import { uniqueName, useBroker } from '@warren/testing';
import type { MessageContext } from '../../src';
import { until, useConsumerFixtures } from './helpers';

const broker = useBroker();
const fx = useConsumerFixtures(broker);

const msgpack: Codec = {
  contentType: 'application/msgpack',
  encode: (value) => Buffer.from(encode(value)),
  decode: (body) => decode(body),
};

async function workQueue(type: 'classic' | 'quorum' = 'classic') {
  const queue = uniqueName('con-codec');
  const topology = await fx.declare({ queues: { [queue]: { type, retry: { delays: ['200ms'] } } } });
  return { queue, topology };
}

describe('codecs', () => {
  it('decodes a MessagePack contract and validates it; parks a schema failure and a content-type mismatch', async () => {
    const { queue, topology } = await workQueue();
    // The schema's output reaches the handler: `at` arrives as a number and leaves as a Date.
    const schema = z.object({ id: z.string(), at: z.number().transform((ms) => new Date(ms)) });
    const Stamped = defineContract({ exchange: '', routingKey: queue, queue, codec: msgpack, schema });
    const received: unknown[] = [];
    const consumer = fx.consumer(topology);
    await consumer.consume(Stamped, (payload) => void received.push(payload));

    const as = { contentType: 'application/msgpack' };
    await fx.publish('', queue, msgpack.encode({ id: 'a', at: 0 }), { ...as, messageId: 'good' });
    await fx.publish('', queue, msgpack.encode({ id: 'b', at: 'noon' }), { ...as, messageId: 'bad-schema' });
    await fx.publish('', queue, Buffer.from([0xc1]), { ...as, messageId: 'bad-bytes' });
    await fx.publish('', queue, { id: 'c', at: 0 }, { messageId: 'json' }); // application/json
    await until('three dead letters', () => consumer.stats().deadLettered.total === 3);

    expect(received).toEqual([{ id: 'a', at: new Date(0) }]);
    const parked = await fx.drain(`${queue}.dlq`);
    const reasons = Object.fromEntries(
      parked.map((m) => [m.properties.messageId, m.properties.headers![HEADERS.reason]]),
    );
    expect(reasons).toEqual({
      'bad-schema': 'schema-validation',
      'bad-bytes': 'decode-failed',
      json: 'content-type-mismatch',
    });
    const mismatch = parked.find((m) => m.properties.messageId === 'json')!;
    expect(mismatch.properties.headers![HEADERS.error]).toBe(
      "Content type application/json is not the contract's application/msgpack.",
    );
    expect(mismatch.properties.contentType).toBe('application/json'); // parked as it came, for a replay
  });

  it('hands a raw consumer the Buffer and the properties, whatever the content type', async () => {
    const { queue, topology } = await workQueue();
    const Bytes = defineContract({ exchange: '', routingKey: queue, queue, codec: rawCodec });
    const received: { body: Buffer; contentType: unknown; headers: unknown }[] = [];
    const consumer = fx.consumer(topology);
    await consumer.consume(Bytes, (body, ctx) => {
      received.push({ body, contentType: ctx.properties.contentType, headers: ctx.properties.headers });
    });
    await fx.publish('', queue, Buffer.from([0, 255]), { contentType: 'image/png', headers: { w: 2 } });
    await fx.publish('', queue, Buffer.from('{"a":1}'), { contentType: 'application/json' });
    await until('two messages', () => consumer.stats().acked === 2);
    expect(received).toEqual([
      { body: Buffer.from([0, 255]), contentType: 'image/png', headers: { w: 2 } },
      { body: Buffer.from('{"a":1}'), contentType: 'application/json', headers: {} },
    ]);
  });

  it('counts a crash redelivery in ctx.deliveryCount (quorum queue), not in ctx.attempt', async () => {
    const { queue, topology } = await workQueue('quorum');
    await fx.publish('', queue, { id: 1 }, { messageId: 'crash' });
    // A worker takes the message and dies before settling it: its connection closes, the broker requeues it.
    const doomed = await connect(broker.amqpUrl);
    const channel = await doomed.createChannel();
    const taken = await new Promise<boolean>((resolve) => {
      void channel.consume(queue, (message) => resolve(message !== null), { noAck: false });
    });
    expect(taken).toBe(true);
    await doomed.close();

    const seen: Pick<MessageContext, 'attempt' | 'deliveryCount' | 'redelivered'>[] = [];
    const consumer = fx.consumer(topology);
    await consumer.consume(queue, (_payload, { attempt, deliveryCount, redelivered }) => {
      seen.push({ attempt, deliveryCount, redelivered });
      if (seen.length === 1) throw new Error('fails once: the retry tier makes a new copy');
    });
    await until('the retried copy', () => consumer.stats().acked === 1);
    expect(seen).toEqual([
      { attempt: 1, deliveryCount: 1, redelivered: true },
      { attempt: 2, deliveryCount: 0, redelivered: false },
    ]);
  });
});
