import type { Message } from 'amqplib';
import { checkPayload, jsonCodec, rawCodec, type Codec, type WARREN_DEAD_LETTER_REASONS } from '@warren/core';
import type { z } from 'zod';

/** Why Warren dead-lettered a message (the `x-warren-reason` header): one list, in core's header protocol. */
export type DeadLetterReason = (typeof WARREN_DEAD_LETTER_REASONS)[number];

/** A decoded payload, or why it cannot be decoded (retrying cannot fix either case). */
export type Decoded = { ok: true; value: unknown } | { ok: false; reason: DeadLetterReason; error: string };

// Publishers that set no content type are common (and Warren's publisher sets application/json).
const JSON_TYPE = /^application\/json\s*(;\s*charset=utf-?8\s*)?$/i;

/**
 * Decodes a delivery with the codec its content type calls for, the contract's being the one expected (JSON when
 * consuming a queue by name), then validates it against the schema when there is one. A message without a content
 * type is decoded with the expected codec; `rawCodec` takes any message. A content type the contract does not
 * expect is `content-type-mismatch` (`unknown-content-type` without a contract, or with a content encoding such as
 * gzip); a body its codec cannot decode is `invalid-json` (JSON) or `decode-failed`.
 */
export function decodePayload(message: Message, schema: z.ZodType | undefined, codec?: Codec): Decoded {
  if (codec === rawCodec) return validated(message.content, schema);
  const { contentType, contentEncoding } = message.properties as { contentType?: string; contentEncoding?: string };
  const expected = codec ?? jsonCodec;
  const json = expected === jsonCodec;
  const fits = json ? isJson(contentType) : contentType === undefined || sameType(contentType, expected.contentType);
  if (!fits || (contentEncoding !== undefined && !plainEncoding(contentEncoding))) {
    return wrongType(contentType, contentEncoding, expected, codec === undefined || fits);
  }
  let value: unknown;
  try {
    value = json ? JSON.parse(message.content.toString('utf8')) : expected.decode(message.content, message.properties);
  } catch (error) {
    if (json) return { ok: false, reason: 'invalid-json', error: `Payload is not valid JSON: ${describe(error)}` };
    const error_ = `The ${expected.contentType} codec cannot decode the payload: ${describe(error)}`;
    return { ok: false, reason: 'decode-failed', error: error_ };
  }
  return validated(value, schema);
}

function validated(value: unknown, schema: z.ZodType | undefined): Decoded {
  if (schema === undefined) return { ok: true, value };
  const checked = checkPayload(schema, value);
  if (checked.ok) return checked;
  return { ok: false, reason: 'schema-validation', error: `Payload fails the contract's schema: ${checked.summary}` };
}

/** `unknown`: no contract to compare with, or an encoding Warren cannot undo; otherwise a mismatch. */
function wrongType(type: string | undefined, encoding: string | undefined, expected: Codec, unknown: boolean): Decoded {
  const what = encoding ? `${type ?? '(none)'} with encoding ${encoding}` : String(type);
  if (unknown) {
    return {
      ok: false,
      reason: 'unknown-content-type',
      error: `Cannot decode content type ${what}: expected ${expected.contentType}.`,
    };
  }
  const error = `Content type ${what} is not the contract's ${expected.contentType}.`;
  return { ok: false, reason: 'content-type-mismatch', error };
}

function isJson(contentType: string | undefined): boolean {
  return contentType === undefined || contentType === 'application/json' || JSON_TYPE.test(contentType);
}

/** Media types compared without their parameters (`; charset=...`), case-insensitively. */
function sameType(actual: string, expected: string): boolean {
  if (actual === expected) return true;
  const semicolon = actual.indexOf(';');
  const media = (semicolon < 0 ? actual : actual.slice(0, semicolon)).trim();
  return media.toLowerCase() === expected.toLowerCase();
}

function plainEncoding(encoding: string): boolean {
  return encoding === '' || /^(identity|utf-?8)$/i.test(encoding);
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
