import { WarrenError, type RemoteFailure, type ValidationIssue } from '@warren/core';

/**
 * `REQUEST_TIMEOUT`: no reply before the request's deadline. The worker may still be working on it (its retry tiers
 * are still pending, or it is slow or down); a reply that arrives later is dropped (the publisher's `lateReply`
 * event). Retrying sends a second request: make the worker idempotent.
 */
export class RequestTimeoutError extends WarrenError {}

/**
 * `REMOTE_ERROR`: the worker gave up on the request (`NonRetryableError`, its retry tiers used up, a payload it could
 * not decode) and sent back why. `remoteCode` is the handler error's own `code` when it had a string one, else a
 * Warren code (`NON_RETRYABLE`, `HANDLER_FAILED`, `HANDLER_TIMEOUT`, `INVALID_REPLY`, ...).
 */
export class RemoteError extends WarrenError {
  readonly remoteCode: string;
  /** Why the worker dead-lettered the request (`non-retryable`, `retries-exhausted`, `schema-validation`, ...). */
  readonly reason: string | undefined;
  /** The handler's stack, only when the worker consumes with `replyErrorStack: true`. */
  readonly remoteStack: string | undefined;

  constructor(failure: RemoteFailure) {
    super('REMOTE_ERROR', `The worker failed the request (${failure.code}): ${failure.message}`);
    this.remoteCode = failure.code;
    this.reason = failure.reason;
    this.remoteStack = failure.stack;
  }
}

/**
 * `REPLY_CHANNEL_LOST`: the channel the request was sent on (and its reply would come back to) closed, usually with
 * its connection: the reply can no longer arrive. The worker may have done the work. New requests use the next
 * channel, after the reconnect.
 */
export class ReplyChannelLostError extends WarrenError {}

/** `INVALID_REPLY`: the reply does not match the contract's `reply` schema (or is not JSON). */
export class InvalidReplyError extends WarrenError {
  readonly issues: readonly ValidationIssue[];
  constructor(message: string, issues: readonly ValidationIssue[]) {
    super('INVALID_REPLY', message);
    this.issues = issues;
  }
}
