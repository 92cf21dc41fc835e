import { describeError } from '@warren/core';
import type { MessageContext } from './context';
import { HandlerAbortedError, NonRetryableError } from './errors';
import type { Failure } from './handoff';

/**
 * A message handler: returning (or resolving) acks; throwing retries; `NonRetryableError` dead-letters.
 * `Transaction` is the type of `context.transaction` (see `MessageContext`).
 */
export type Handler<Payload, Transaction = undefined> = (
  payload: Payload,
  context: MessageContext<Transaction>,
) => unknown;

/** @internal An async handler's result; anything else counts as a synchronous return. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/** @internal What a handler threw or rejected with: a `NonRetryableError` goes to the dead-letter queue at once. */
export function failureOf(error: unknown): Failure {
  const message = describeError(error);
  return error instanceof NonRetryableError ? { error: message, reason: 'non-retryable' } : { error: message };
}

/** @internal The reason a handler's signal is aborted with. */
export function aborted(code: 'HANDLER_TIMEOUT' | 'SHUTDOWN' | 'CHANNEL_LOST', why: string): HandlerAbortedError {
  return new HandlerAbortedError(code, `Handler aborted: ${why}.`);
}
