import type { Message } from 'amqplib';
import { checkPayload, REPLY, type RemoteFailure } from '@warren/core';
import type { z } from 'zod';
import { InvalidReplyError, RemoteError } from './requestErrors';

/** @internal A reply as the caller sees it: the value (validated by the contract's `reply` schema), or an error. */
export type ReplyOutcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: Error };

/**
 * @internal Reads a reply: JSON; `x-warren-reply: error` is the worker's `RemoteFailure` (→ `RemoteError`); any
 * other reply is the result, checked against `schema` when the contract has one (→ `InvalidReplyError`).
 */
export function decodeReply(message: Message, schema: z.ZodType | undefined): ReplyOutcome {
  let body: unknown;
  try {
    body = JSON.parse(message.content.toString('utf8'));
  } catch (error) {
    return { ok: false, error: new InvalidReplyError(`The reply is not JSON: ${(error as Error).message}`, []) };
  }
  if (message.properties.headers?.[REPLY.statusHeader] === 'error') {
    return { ok: false, error: new RemoteError(remoteFailureOf(body)) };
  }
  if (schema === undefined) return { ok: true, value: body };
  const checked = checkPayload(schema, body);
  if (checked.ok) return checked;
  const message_ = `The reply does not match the contract's reply schema: ${checked.summary}`;
  return { ok: false, error: new InvalidReplyError(message_, checked.issues) };
}

/** Whatever the worker sent as a failure, as a `RemoteFailure` (a worker that is not Warren's may send anything). */
function remoteFailureOf(body: unknown): RemoteFailure {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return {
    code: text(b.code) ?? 'HANDLER_FAILED',
    message: text(b.message) ?? 'no message',
    reason: text(b.reason),
    stack: text(b.stack),
  };
}
