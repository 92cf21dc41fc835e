import type { Options } from 'amqplib';
import {
  checkJsonPayload,
  checkPayload,
  codecOf,
  describeError,
  jsonCodec,
  type MessageContract,
  type WarrenError,
} from '@warren/core';
import { MessageTooLargeError, ValidationError } from './errors';
import type { RawPublishOptions } from './options';

/** @internal The content type of a non-Buffer body (sent as JSON). */
export const JSON_TYPE = 'application/json';
/** @internal The content type of a Buffer body (sent as is). */
export const BINARY_TYPE = 'application/octet-stream';

/**
 * @internal A contract's payload as a body, checked before anything is sent (`ValidationError`): against the schema,
 * then JSON (the default) refuses what it would drop without a word; another codec encodes it, and its errors fail.
 */
export function encodePayload(contract: MessageContract, payload: unknown): Buffer {
  const codec = codecOf(contract);
  const json = codec === jsonCodec;
  const checked = json ? checkJsonPayload(contract.schema, payload) : check(contract, payload);
  if (!checked.ok) {
    const where = `${contract.exchange || '(default exchange)'} / ${contract.routingKey}`;
    throw new ValidationError(`Payload for ${where} does not match its contract: ${checked.summary}`, checked.issues);
  }
  if (json) return encodeJson(payload);
  let body: unknown;
  try {
    body = codec.encode(payload);
  } catch (cause) {
    throw new ValidationError(`The ${codec.contentType} codec cannot encode the message: ${describeError(cause)}`, [], {
      cause,
    });
  }
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new ValidationError(`The ${codec.contentType} codec's encode() returned ${typeof body}, not a Buffer.`, []);
}

const check = (contract: MessageContract, payload: unknown) =>
  contract.schema === undefined ? { ok: true as const } : checkPayload(contract.schema, payload);

/**
 * @internal A body without a contract as JSON bytes: what JSON would drop without a word (functions, `undefined`,
 * `NaN`, ...) fails with `ValidationError`.
 */
export function encodeUncheckedJson(body: unknown): Buffer {
  const checked = checkJsonPayload(undefined, body);
  if (!checked.ok) throw new ValidationError(`The message cannot be sent as JSON: ${checked.summary}`, checked.issues);
  return encodeJson(body);
}

/** @internal `encodePayload`, with its error returned rather than thrown (the publish paths reject with it). */
export function encodeOrError(contract: MessageContract, payload: unknown): Buffer | WarrenError {
  try {
    return encodePayload(contract, payload);
  } catch (error) {
    return error as WarrenError;
  }
}

/** @internal A body as JSON bytes; a value JSON cannot encode fails with `ValidationError` before anything is sent. */
export function encodeJson(body: unknown): Buffer {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch (cause) {
    throw new ValidationError(`The message cannot be encoded as JSON: ${describeError(cause)}`, [], { cause });
  }
  if (text === undefined) throw new ValidationError('The message cannot be encoded as JSON (undefined).', []);
  return Buffer.from(text);
}

/**
 * @internal The AMQP properties of one message: always persistent, with a message id and a timestamp (seconds).
 * Without options, only the properties Warren always sets (no keys left undefined).
 */
export function toProperties(
  options: RawPublishOptions | undefined,
  contentType: string,
  messageId: string,
  now: number,
  mandatory: boolean,
): Options.Publish {
  if (options === undefined) {
    return { mandatory, persistent: true, contentType, messageId, timestamp: Math.floor(now / 1000) };
  }
  return {
    mandatory: options.mandatory ?? mandatory,
    persistent: true,
    contentType,
    contentEncoding: options.contentEncoding,
    messageId,
    timestamp: Math.floor(now / 1000),
    headers: options.headers,
    correlationId: options.correlationId,
    replyTo: options.replyTo,
    type: options.type,
    appId: options.appId,
    expiration: options.expiration,
    priority: options.priority,
  };
}

/** @internal amqplib refused to encode the message (it throws before writing anything, so the channel is still fine). */
export function unencodable(cause: unknown): WarrenError {
  const text = describeError(cause);
  if (cause instanceof RangeError && /field table/i.test(text)) {
    return new MessageTooLargeError(
      'HEADERS_TOO_LARGE',
      `The message's headers do not fit in an AMQP frame (64 KiB encoded): ${text}. Move the data to the body.`,
      { cause },
    );
  }
  return new ValidationError(`amqplib cannot encode the message (fix its properties): ${text}`, [], { cause });
}
