import type { Message } from 'amqplib';
import { checkPayload, type WARREN_DEAD_LETTER_REASONS } from '@warren/core';
import type { z } from 'zod';

/** Why Warren dead-lettered a message (the `x-warren-reason` header): one list, in core's header protocol. */
export type DeadLetterReason = (typeof WARREN_DEAD_LETTER_REASONS)[number];

/** A decoded payload, or why it cannot be decoded (retrying cannot fix either case). */
export type Decoded = { ok: true; value: unknown } | { ok: false; reason: DeadLetterReason; error: string };

// Publishers that set no content type are common (and Warren's publisher sets application/json).
const JSON_TYPE = /^application\/json\s*(;\s*charset=utf-?8\s*)?$/i;

/** Checks the content type, parses JSON and validates it against the contract's schema when there is one. */
export function decodePayload(message: Message, schema: z.ZodType | undefined): Decoded {
  const { contentType, contentEncoding } = message.properties as { contentType?: string; contentEncoding?: string };
  const json = contentType === undefined || contentType === 'application/json' || JSON_TYPE.test(contentType);
  if (!json || (contentEncoding !== undefined && !plainEncoding(contentEncoding))) {
    const what = contentEncoding ? `${contentType ?? '(none)'} with encoding ${contentEncoding}` : String(contentType);
    return { ok: false, reason: 'unknown-content-type', error: `Cannot decode content type ${what}: expected JSON.` };
  }
  let value: unknown;
  try {
    value = JSON.parse(message.content.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'invalid-json', error: `Payload is not valid JSON: ${(error as Error).message}` };
  }
  if (schema === undefined) return { ok: true, value };
  const checked = checkPayload(schema, value);
  if (checked.ok) return checked;
  return { ok: false, reason: 'schema-validation', error: `Payload fails the contract's schema: ${checked.summary}` };
}

function plainEncoding(encoding: string): boolean {
  return encoding === '' || /^(identity|utf-?8)$/i.test(encoding);
}
