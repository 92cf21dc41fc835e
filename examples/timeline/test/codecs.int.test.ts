import { decode, encode } from '@msgpack/msgpack';
import { z } from 'zod';
import { createConsumer } from '@warren/consumer';
import { defineContract, rawCodec, type Codec } from '@warren/core';
import { createPublisher, ValidationError } from '@warren/publisher';
import { queueDepth, uniqueName, useBroker, useTopology, waitFor } from '@warren/testing';

// Codecs end to end, Warren on both sides: a MessagePack contract whose schema is checked by the publisher before
// it sends and by the consumer after it decodes, and a raw contract that carries Buffers as they are.
const broker = useBroker();
const packed = uniqueName('codec-msgpack');
const bytes = uniqueName('codec-raw');
const topology = useTopology(broker, {
  queues: { [packed]: { retry: { delays: ['200ms'] } }, [bytes]: {} },
});

const msgpack: Codec = {
  contentType: 'application/msgpack',
  encode: (value) => Buffer.from(encode(value)),
  decode: (body) => decode(body),
};
// `at` travels as a number and reaches the handler as a Date: the schema's output, after decoding.
const schema = z.object({ id: z.string(), at: z.number().transform((ms) => new Date(ms)) });
const Stamped = defineContract({ exchange: '', routingKey: packed, queue: packed, codec: msgpack, schema });
const Bytes = defineContract({ exchange: '', routingKey: bytes, queue: bytes, codec: rawCodec });

const publisher = () => {
  const p = createPublisher({ urls: broker.amqpUrl, name: 'codec-round-trip' });
  broker.teardown(() => p.close({ timeoutMs: 1_000 }));
  return p;
};
const consumer = () => {
  const c = createConsumer({ urls: broker.amqpUrl, topology, name: 'codec-round-trip' });
  broker.teardown(() => c.close({ timeoutMs: 1_000 }));
  return c;
};

describe('codecs, publisher to consumer', () => {
  it('round-trips a MessagePack contract, validated by its schema on both ends', async () => {
    const received: unknown[] = [];
    const worker = consumer();
    await worker.consume(Stamped, (payload, ctx) => void received.push({ payload, type: ctx.properties.contentType }));
    const sender = publisher();

    await sender.publish(Stamped, { id: 'a', at: 0 }, { messageId: 'good' });
    // The publisher refuses what the schema refuses, before anything is sent.
    const refused = await sender.publish(Stamped, { id: 'b', at: 'noon' } as never).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues[0]).toMatchObject({ path: ['at'] });
    // The consumer checks too: a MessagePack body that bypassed the publisher's check is parked.
    await sender.publishRaw('', packed, Buffer.from(encode({ id: 'c', at: 'noon' })), {
      contentType: 'application/msgpack',
      messageId: 'bad',
    });
    await waitFor('one delivery and one dead letter', 10_000, async () =>
      received.length === 1 && worker.stats().deadLettered.total === 1 ? true : undefined,
    );
    expect(received).toEqual([{ payload: { id: 'a', at: new Date(0) }, type: 'application/msgpack' }]);
    expect(await queueDepth(broker.amqpUrl, `${packed}.dlq`)).toBe(1);
  });

  it('carries a raw contract as Buffers', async () => {
    const received: Buffer[] = [];
    await consumer().consume(Bytes, (payload) => void received.push(payload));
    const body = Buffer.from([0, 1, 2, 254, 255]);
    await publisher().publish(Bytes, body);
    await waitFor('the Buffer', 10_000, async () => (received.length === 1 ? true : undefined));
    expect(Buffer.isBuffer(received[0])).toBe(true);
    expect(received[0]!.equals(body)).toBe(true);
  });
});
