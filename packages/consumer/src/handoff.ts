import type { Message, Options } from 'amqplib';
import { attemptOf, HEADERS, isBrokerDeathHeader, originOf, withTraceContext, type OtelContext } from '@warren/core';
import type { WorkQueueLayout } from '@warren/topology';
import type { DeadLetterReason } from './decode';
import { DELIVERY_COUNT_HEADER } from './delivery-count';

/** Error messages are truncated in headers: amqplib refuses header tables over 64 KiB. */
export const MAX_ERROR_LENGTH = 1000;

/** Where a failed delivery is handed off: a retry tier or the dead-letter exchange. */
export interface HandOff {
  readonly kind: 'retry' | 'dead-letter';
  readonly exchange: string;
  readonly routingKey: string;
  readonly options: Options.Publish;
  /** 0-based retry tier (retries only). */
  readonly tier: number;
  readonly delayMs: number;
  readonly reason: DeadLetterReason | undefined;
}

/** The failure of one attempt: `reason` is set when retrying cannot help. */
export interface Failure {
  readonly error: string;
  readonly reason?: DeadLetterReason;
  /** Not a failure of the message (its idempotency key is busy): back to its queue after `retryDelayMs`. */
  readonly requeue?: boolean;
  /** For a request's error reply: the handler error's code (a string `code`), and the error (for its stack). */
  readonly code?: string;
  readonly thrown?: unknown;
}

/**
 * Decides where a failed delivery goes: the retry tier for its attempt, or the dead-letter exchange (tiers used
 * up, or a failure retrying cannot fix). Undefined when there is nowhere to go (no tiers left and
 * `deadLetter: false`): the caller requeues it.
 */
export function planFailure(
  message: Message,
  layout: WorkQueueLayout,
  failure: Failure,
  now: Date,
  trace?: OtelContext,
): HandOff | undefined {
  const headers = failureHeaders(message, layout.queue, failure.error, now);
  // The copy keeps the `traceparent` it came with (every retry tier and a replay stay in the trace), or gets one.
  if (trace !== undefined && !('traceparent' in headers)) withTraceContext(trace, headers);
  const attempt = attemptOf(message.properties.headers);
  const tier = layout.retryTiers[attempt - 1];
  if (failure.reason === undefined && tier !== undefined) {
    headers[HEADERS.attempt] = attempt + 1;
    const options = copyProperties(message, headers);
    return {
      kind: 'retry',
      exchange: '',
      routingKey: tier.queue,
      options,
      tier: attempt - 1,
      delayMs: tier.delayMs,
      reason: undefined,
    };
  }
  if (layout.deadLetterExchange === null) return undefined;
  const reason = failure.reason ?? 'retries-exhausted';
  headers[HEADERS.attempt] = attempt;
  headers[HEADERS.reason] = reason;
  const routingKey = String(headers[HEADERS.originalRoutingKey]);
  const options = copyProperties(message, headers);
  return {
    kind: 'dead-letter',
    exchange: layout.deadLetterExchange,
    routingKey,
    options,
    tier: -1,
    delayMs: 0,
    reason,
  };
}

function failureHeaders(message: Message, queue: string, error: string, now: Date): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  const original = message.properties.headers ?? {};
  // The broker's own death records would only grow with every tier round trip; Warren counts attempts itself. The
  // delivery count belongs to this copy: the broker starts counting the new one afresh (and does not overwrite it).
  for (const key of Object.keys(original)) {
    if (!isBrokerDeathHeader(key) && key !== DELIVERY_COUNT_HEADER) headers[key] = original[key];
  }
  const origin = originOf(message);
  const at = now.toISOString();
  headers[HEADERS.originalExchange] = origin.exchange;
  headers[HEADERS.originalRoutingKey] = origin.routingKey;
  headers[HEADERS.queue] = queue;
  headers[HEADERS.error] = error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH - 1)}…` : error;
  if (typeof headers[HEADERS.firstFailureAt] !== 'string') headers[HEADERS.firstFailureAt] = at;
  headers[HEADERS.lastFailureAt] = at;
  return headers;
}

/**
 * The copy keeps the body and the properties a receiver needs (message id for de-duplication, correlation id,
 * type...). It drops `expiration` (a per-message TTL would expire it early in the tier queue) and `userId` (the
 * broker closes the channel when it does not match this connection's user); it is always persistent, and
 * mandatory so a missing tier or dead-letter queue is reported instead of silently dropping it.
 */
function copyProperties(message: Message, headers: Record<string, unknown>): Options.Publish {
  const p = message.properties;
  return {
    headers,
    mandatory: true,
    persistent: true,
    contentType: p.contentType,
    contentEncoding: p.contentEncoding,
    messageId: p.messageId,
    correlationId: p.correlationId,
    replyTo: p.replyTo,
    priority: p.priority,
    timestamp: p.timestamp,
    type: p.type,
    appId: p.appId,
  };
}
