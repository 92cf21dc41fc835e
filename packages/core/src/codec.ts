/** The AMQP properties of a delivered message a codec may read (amqplib's `MessageProperties` fits). */
export interface CodecProperties {
  readonly contentType?: unknown;
  readonly contentEncoding?: unknown;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly type?: unknown;
}

/**
 * How a contract's payload becomes a message body and back. A codec is a plain object: the publisher calls `encode`
 * (after the schema, if any, accepted the value) and labels the message with `contentType`; the consumer calls
 * `decode` for a message with that content type (or none), then validates the result against the schema, if any.
 * Either function may throw: the publish then fails with `ValidationError`, the delivery is dead-lettered
 * (`decode-failed`).
 * @example
 * import { decode, encode } from '@msgpack/msgpack';
 * const msgpack: Codec = {
 *   contentType: 'application/msgpack',
 *   encode: (value) => Buffer.from(encode(value)),
 *   decode: (body) => decode(body),
 * };
 */
export interface Codec<Value = unknown> {
  /** The AMQP `content-type` this codec writes and expects, e.g. `application/msgpack` (compared case-insensitively). */
  readonly contentType: string;
  encode(value: Value): Buffer;
  decode(body: Buffer, properties: CodecProperties): Value;
}

/** JSON, UTF-8: the default codec of a contract. Needs a schema. */
export const jsonCodec: Codec = Object.freeze({
  contentType: 'application/json',
  encode: (value: unknown): Buffer => Buffer.from(JSON.stringify(value)),
  decode: (body: Buffer): unknown => JSON.parse(body.toString('utf8')),
});

/**
 * Bytes as they are: the publisher sends a Buffer unchanged, the handler gets the body's Buffer (and the AMQP
 * properties in `ctx.properties`). A consumer with this codec accepts any content type.
 */
export const rawCodec: Codec<Buffer> = Object.freeze({
  contentType: 'application/octet-stream',
  encode: (value: Buffer): Buffer => {
    if (!Buffer.isBuffer(value)) throw new TypeError(`the raw codec sends Buffers, got ${typeof value}`);
    return value;
  },
  decode: (body: Buffer): Buffer => body,
});

/** The value type a codec encodes and decodes. */
export type CodecValue<C> = C extends Codec<infer Value> ? Value : unknown;
