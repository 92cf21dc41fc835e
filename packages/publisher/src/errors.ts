import { WarrenError, type ValidationIssue, type WarrenCode } from '@warren/core';

/** `VALIDATION_FAILED`: the payload does not match the contract's schema (or cannot be encoded). Nothing was sent. */
export class ValidationError extends WarrenError {
  readonly issues: readonly ValidationIssue[];
  constructor(message: string, issues: readonly ValidationIssue[], options: { cause?: unknown } = {}) {
    super('VALIDATION_FAILED', message, options);
    this.issues = issues;
  }
}

/** `UNROUTABLE` (312 NO_ROUTE): the exchange has no binding that matches the routing key; the message was dropped. */
export class UnroutableError extends WarrenError {}

/**
 * The broker cannot take the message now; retrying later can succeed. `retryAfterMs` is a suggestion (at least
 * 1 s) that an HTTP service can send as `Retry-After` with a 503.
 */
export class BackPressureError extends WarrenError {
  readonly retryAfterMs: number;
  constructor(
    code: WarrenCode,
    message: string,
    retryAfterMs: number,
    options: { cause?: unknown; replyCode?: number } = {},
  ) {
    super(code, message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** `BROKER_BUSY`: the broker kept nacking the message (a full queue with `overflow: reject-publish`). */
export class BrokerBusyError extends BackPressureError {}

/** `BUFFER_FULL`: the publisher's buffer (messages or bytes) is full; the message was not accepted. */
export class BufferFullError extends BackPressureError {}

/**
 * `BROKER_BLOCKED`: the broker blocked publishing (memory or disk alarm) past the message's deadline, and the message
 * was never sent (definite). One sent before the block fails with `PUBLISH_TIMEOUT` instead: it may still arrive.
 */
export class BlockedError extends BackPressureError {}

/**
 * `NOT_SENT`: the deadline came before the message was ever written to a connection (not connected, or the
 * in-flight window stayed full). Definite: it cannot arrive; retrying is safe.
 */
export class NotSentError extends BackPressureError {}

/**
 * `PUBLISH_TIMEOUT`: no confirm before the deadline (broker unreachable or slow). If the message had been sent it
 * may still arrive: the outcome is unknown, retry with the same `messageId` and deduplicate downstream.
 */
export class PublishTimeoutError extends BackPressureError {}

/** `MESSAGE_TOO_LARGE` (body over `maxMessageBytes`) or `HEADERS_TOO_LARGE` (headers over 64 KiB encoded). */
export class MessageTooLargeError extends WarrenError {}

/** `EXCHANGE_NOT_FOUND` (404): the exchange does not exist. Declare it (`warren apply`) or fix the contract. */
export class ExchangeNotFoundError extends WarrenError {}

/** `PUBLISHER_CLOSED`: `close()` was called before the message was confirmed, or the publisher is closed. */
export class PublisherClosedError extends WarrenError {}
