import type { Message } from 'amqplib';
import { decode, encode } from '@msgpack/msgpack';
import { z } from 'zod';
import { jsonCodec, rawCodec, type Codec } from '@warren/core';
import { decodePayload } from '../src/decode';

const msgpack: Codec = {
  contentType: 'application/msgpack',
  encode: (value) => Buffer.from(encode(value)),
  decode: (body) => decode(body),
};

const message = (body: Buffer | string, properties: Record<string, unknown> = {}): Message =>
  ({ content: Buffer.from(body), fields: {}, properties: { headers: {}, ...properties } }) as unknown as Message;

const Order = z.object({ n: z.number() });

describe('decodePayload with a codec', () => {
  it("decodes the contract's content type (or none) with its codec, then validates", () => {
    const body = msgpack.encode({ n: 1 });
    expect(decodePayload(message(body, { contentType: 'application/msgpack' }), Order, msgpack)).toEqual({
      ok: true,
      value: { n: 1 },
    });
    expect(decodePayload(message(body, { contentType: 'Application/MsgPack; v=1' }), Order, msgpack).ok).toBe(true);
    expect(decodePayload(message(body), Order, msgpack).ok).toBe(true);
    expect(decodePayload(message(msgpack.encode({ n: 'x' })), Order, msgpack)).toMatchObject({
      ok: false,
      reason: 'schema-validation',
    });
  });

  it('parks another content type as content-type-mismatch, with a JSON contract too', () => {
    const json = message('{"n":1}', { contentType: 'application/json' });
    expect(decodePayload(json, Order, msgpack)).toEqual({
      ok: false,
      reason: 'content-type-mismatch',
      error: "Content type application/json is not the contract's application/msgpack.",
    });
    const xml = message('<n/>', { contentType: 'text/xml' });
    expect(decodePayload(xml, Order, jsonCodec)).toMatchObject({ reason: 'content-type-mismatch' });
    // Consumed by queue name: no contract to compare with, as before.
    expect(decodePayload(xml, undefined, undefined)).toMatchObject({ reason: 'unknown-content-type' });
  });

  it('parks a body its codec cannot decode as decode-failed, and invalid JSON as invalid-json', () => {
    const bad = message(Buffer.from([0xc1]), { contentType: 'application/msgpack' });
    expect(decodePayload(bad, Order, msgpack)).toMatchObject({ ok: false, reason: 'decode-failed' });
    expect(decodePayload(message('{"n":'), Order, jsonCodec)).toMatchObject({ reason: 'invalid-json' });
  });

  it('parks a content encoding it cannot undo as unknown-content-type', () => {
    const gzipped = message(msgpack.encode({ n: 1 }), { contentType: 'application/msgpack', contentEncoding: 'gzip' });
    expect(decodePayload(gzipped, Order, msgpack)).toMatchObject({ reason: 'unknown-content-type' });
  });

  it('hands over the Buffer with rawCodec, whatever the content type and encoding', () => {
    const body = Buffer.from([1, 2, 3]);
    const raw = message(body, { contentType: 'image/png', contentEncoding: 'gzip' });
    expect(decodePayload(raw, undefined, rawCodec)).toEqual({ ok: true, value: body });
  });
});
