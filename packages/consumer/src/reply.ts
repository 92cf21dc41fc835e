import { checkPayload, describeError, REPLY, withTraceContext, type RemoteFailure } from '@warren/core';
import type { z } from 'zod';
import type { Pending } from './channel';
import type { DeadLetterReason } from './decode';
import type { Failure } from './handoff';

/** @internal How a subscription answers requests (deliveries with `replyTo`). */
export interface ReplyOptions {
  /** The contract's `reply` schema: the handler's result is checked against it before it is sent. */
  readonly schema: z.ZodType | undefined;
  /** Send the handler error's stack in error replies (`replyErrorStack`). */
  readonly stack: boolean;
}

/** Replies without a schema and without stacks. */
const PLAIN: ReplyOptions = { schema: undefined, stack: false };

/** The `RemoteFailure.code` of a failure without a code of its own. */
const CODE_OF_REASON: Readonly<Record<DeadLetterReason, string>> = {
  'retries-exhausted': 'HANDLER_FAILED',
  'non-retryable': 'NON_RETRYABLE',
  'schema-validation': 'VALIDATION_FAILED',
  'invalid-json': 'INVALID_JSON',
  'unknown-content-type': 'UNKNOWN_CONTENT_TYPE',
  'content-type-mismatch': 'CONTENT_TYPE_MISMATCH',
  'decode-failed': 'DECODE_FAILED',
};

/**
 * @internal Sends the handler's result to the request's `replyTo`, with its `correlationId`, just before the request
 * is acked: on the same channel, so the broker has the reply before the ack. Nothing is sent for a delivery without
 * `replyTo`. Returns the failure of a result that does not fit the contract's `reply` schema or JSON (retrying would
 * compute the same value, so it is non-retryable): the caller then gets a `RemoteError` with code `INVALID_REPLY`.
 *
 * A reply to direct reply-to cannot be confirmed in any useful way: it is not queued, and reaches the caller only if
 * the caller's channel is still open. If the caller has gone (timed out, disconnected), the reply is dropped, and the
 * request is acked all the same: its work is done.
 */
export function sendResult(delivery: Pending, result: unknown, options = PLAIN): Failure | undefined {
  if (!delivery.message.properties.replyTo) return undefined;
  if (delivery.duplicate) {
    const message = 'The request was already handled (its idempotency key is done); its result is not kept.';
    return void publishReply(delivery, 'error', { code: 'DUPLICATE', message });
  }
  if (options.schema !== undefined) {
    const checked = checkPayload(options.schema, result);
    if (!checked.ok) return invalidReply(`does not match the contract's reply schema: ${checked.summary}`);
  }
  let content: Buffer;
  try {
    content = Buffer.from(JSON.stringify(result) ?? 'null');
  } catch (error) {
    return invalidReply(`cannot be encoded as JSON: ${describeError(error)}`);
  }
  publishReply(delivery, 'ok', content);
  return undefined;
}

/**
 * @internal Tells the caller of a request that the worker gave up on it (dead-lettered: non-retryable, retries
 * exhausted, undecodable), once the hand-off to the dead-letter exchange is confirmed. While retry tiers remain,
 * nothing is sent: the caller keeps waiting.
 */
export function sendFailure(delivery: Pending, failure: Failure, reason: DeadLetterReason, options = PLAIN): void {
  if (!delivery.message.properties.replyTo) return;
  const body: RemoteFailure = {
    code: failure.code ?? CODE_OF_REASON[reason],
    message: failure.error,
    reason,
    ...(options.stack ? stackOf(failure.thrown) : {}),
  };
  publishReply(delivery, 'error', body);
}

function invalidReply(why: string): Failure {
  return { error: `The handler's result ${why}`, reason: 'non-retryable', code: 'INVALID_REPLY' };
}

/**
 * Publishes through the default exchange to the caller's direct reply-to address. Not mandatory, and its confirm is
 * ignored: a reply nobody can take is dropped by the broker, and a closing channel means the request itself goes
 * back to its queue (it is not acked).
 */
function publishReply(delivery: Pending, status: 'ok' | 'error', body: Buffer | RemoteFailure): void {
  const { replyTo, correlationId } = delivery.message.properties as { replyTo: string; correlationId?: string };
  const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  const properties = {
    correlationId,
    contentType: 'application/json',
    headers: withTraceContext(delivery.spanContext, { [REPLY.statusHeader]: status }),
    mandatory: false,
    persistent: false,
  };
  try {
    delivery.channel.publish('', replyTo, content, properties, ignore);
  } catch {
    // The channel is closing: the broker requeues the request, and the caller's reply channel may live on.
  }
}

const ignore = (): void => undefined;

/** The error's stack, when it has one (read lazily: V8 formats a stack on first access). */
function stackOf(thrown: unknown): { stack?: string } {
  const stack = (thrown as { stack?: unknown } | undefined)?.stack;
  return typeof stack === 'string' ? { stack } : {};
}
