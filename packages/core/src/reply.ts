/**
 * Warren's request/reply wire protocol, shared by the caller (`publisher.request()`) and the worker (a consumer
 * whose delivery carries `replyTo`). A reply goes through the default exchange to the request's `replyTo` with the
 * request's `correlationId`; its body is JSON, and `x-warren-reply` says whether it is the handler's result or a
 * failure (`RemoteFailure`).
 */
export const REPLY = {
  /** RabbitMQ's direct reply-to pseudo-queue: no reply queue to declare or delete. */
  directReplyTo: 'amq.rabbitmq.reply-to',
  /** The header of a reply: `ok` (the body is the result) or `error` (the body is a `RemoteFailure`). */
  statusHeader: 'x-warren-reply',
} as const;

/** The body of an `error` reply: why the worker gave up on the request. */
export interface RemoteFailure {
  /** The handler error's `code` when it has a string one, else a Warren code (`NON_RETRYABLE`, `HANDLER_FAILED`, ...). */
  readonly code: string;
  readonly message: string;
  /** Why the request was dead-lettered (`non-retryable`, `retries-exhausted`, `schema-validation`, ...). */
  readonly reason?: string;
  /** The handler error's stack, only when the worker consumes with `replyErrorStack: true`. */
  readonly stack?: string;
}
