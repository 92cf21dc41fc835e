import { decode, encode } from '@msgpack/msgpack';
import { z } from 'zod';
import { defineContract, rawCodec, type Codec } from '@warren/core';
import type { Publisher } from '../src';
import { ValidationError } from '../src/errors';
import { fakePublisher } from './fakes';

const msgpack: Codec = {
  contentType: 'application/msgpack',
  encode: (value) => Buffer.from(encode(value)),
  decode: (body) => decode(body),
};

const publishers: Publisher[] = [];
afterEach(async () => {
  await Promise.all(publishers.splice(0).map((p) => p.close({ timeoutMs: 0 })));
});

async function connected() {
  const { publisher, manager } = fakePublisher();
  publishers.push(publisher);
  const { channel } = await manager.connect();
  return { publisher, channel };
}

/** A publish the test never confirms: closing the publisher after the test fails it. */
const unconfirmed = (publish: Promise<unknown>): void => void publish.catch(() => undefined);

const issuesOf = async (publish: Promise<unknown>) => {
  const error = await publish.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('codecs', () => {
  it("encodes with the contract's codec and labels the message with its content type", async () => {
    const { publisher, channel } = await connected();
    const Order = defineContract({
      exchange: 'o',
      routingKey: 'k',
      codec: msgpack,
      schema: z.object({ n: z.number() }),
    });
    unconfirmed(publisher.publish(Order, { n: 7 }));
    expect(channel.sent[0]!.properties.contentType).toBe('application/msgpack');
    expect(decode(channel.sent[0]!.content)).toEqual({ n: 7 });
  });

  it('validates against the schema before encoding with a codec', async () => {
    const { publisher, channel } = await connected();
    const Order = defineContract({
      exchange: 'o',
      routingKey: 'k',
      codec: msgpack,
      schema: z.object({ n: z.number() }),
    });
    expect(await issuesOf(publisher.publish(Order, { n: 'x' } as never))).toEqual([
      'n: Invalid input: expected number, received string',
    ]);
    expect(channel.sent).toHaveLength(0);
  });

  it('sends a Buffer unchanged with rawCodec, as application/octet-stream', async () => {
    const { publisher, channel } = await connected();
    const Bytes = defineContract({ exchange: 'o', routingKey: 'k', codec: rawCodec });
    unconfirmed(publisher.publish(Bytes, Buffer.from([1, 2, 3])));
    expect(channel.sent[0]!.content).toEqual(Buffer.from([1, 2, 3]));
    expect(channel.sent[0]!.properties.contentType).toBe('application/octet-stream');
  });

  it("fails with VALIDATION_FAILED, nothing sent, when the codec's encode throws or returns no bytes", async () => {
    const { publisher, channel } = await connected();
    const Bytes = defineContract({ exchange: 'o', routingKey: 'k', codec: rawCodec });
    await expect(publisher.publish(Bytes, 'text' as never)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('the raw codec sends Buffers') as string,
    });
    const broken = defineContract({
      exchange: 'o',
      routingKey: 'k',
      codec: { ...msgpack, encode: () => 'x' as never },
    });
    await expect(publisher.publish(broken, 1)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(channel.sent).toHaveLength(0);
  });

  it('refuses a JSON contract without a schema', () => {
    expect(() => defineContract({ exchange: 'o', routingKey: 'k' } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('what JSON would drop without a word', () => {
  it('is a validation issue for a raw body (no schema)', async () => {
    const { publisher, channel } = await connected();
    const body = { a: undefined, f: () => 1, list: [1, undefined], n: NaN, nested: { s: Symbol('s') }, at: new Date() };
    expect(await issuesOf(publisher.publishRaw('x', 'k', body))).toEqual([
      'a: undefined is not sent in JSON (the key would be missing)',
      'f: a function is not sent in JSON (the key would be missing)',
      'list.1: undefined is sent as null in JSON',
      'n: NaN is sent as null in JSON',
      'nested.s: a symbol is not sent in JSON (the key would be missing)',
    ]);
    expect(channel.sent).toHaveLength(0);
  });

  it('walks a payload that contains itself once (JSON.stringify reports the cycle)', async () => {
    const { publisher } = await connected();
    const loop: Record<string, unknown> = {};
    for (let i = 0; i < 20; i++) loop[`k${i}`] = loop;
    await expect(publisher.publishRaw('x', 'k', loop)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('circular') as string,
    });
  });

  it('is a validation issue when the schema keeps the field, not when it strips it', async () => {
    const { publisher, channel } = await connected();
    const Loose = defineContract({ exchange: 'o', routingKey: 'k', schema: z.object({ f: z.any(), n: z.number() }) });
    expect(await issuesOf(publisher.publish(Loose, { f: () => 1, n: 1 }))).toEqual([
      'f: a function is not sent in JSON (the key would be missing)',
    ]);
    const Strict = defineContract({ exchange: 'o', routingKey: 'k', schema: z.object({ n: z.number().optional() }) });
    unconfirmed(publisher.publish(Strict, { n: undefined, extra: () => 1 } as never));
    expect(JSON.parse(channel.sent[0]!.content.toString())).toEqual({});
  });
});
