import { WarrenError } from '@warren/core';

/**
 * Thrown by a handler to say that retrying cannot help (the order does not exist, the payload is semantically
 * wrong): the message goes to the dead-letter queue at once, with reason `non-retryable`. Code `NON_RETRYABLE`.
 * @example
 * if (!order) throw new NonRetryableError(`order ${payload.orderId} does not exist`);
 */
export class NonRetryableError extends WarrenError {
  /** The code a request's caller gets in its `RemoteError` (`remoteCode`); `NON_RETRYABLE` when not given. */
  readonly remoteCode: string | undefined;
  constructor(message: string, options: { cause?: unknown; remoteCode?: string } = {}) {
    super('NON_RETRYABLE', message, options);
    this.remoteCode = options.remoteCode;
  }
}

/** A misuse of the consumer API: `INVALID_TARGET` (a contract without `queue`), `CONSUMER_CLOSED` (after `close()`). */
export class ConsumerError extends WarrenError {}

/**
 * The reason a handler's `signal` is aborted: `HANDLER_TIMEOUT` (the attempt took longer than `handlerTimeoutMs`
 * and counts as failed), `SHUTDOWN` (`close()` timed out; the message goes back to the queue) or `CHANNEL_LOST`
 * (the connection or channel died; the broker has already put the message back).
 */
export class HandlerAbortedError extends WarrenError {}
