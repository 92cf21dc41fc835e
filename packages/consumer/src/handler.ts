import { describeError } from '@warren/core';
import type { MessageContext } from './context';
import { HandlerAbortedError, NonRetryableError } from './errors';
import type { Failure } from './handoff';

/**
 * A message handler: returning (or resolving) acks; throwing retries; `NonRetryableError` dead-letters.
 * `Transaction` is the type of `context.transaction` (see `MessageContext`); `Result` is what it returns, sent as the
 * reply when the message is a request (the contract's `reply` schema's input type).
 */
export type Handler<Payload, Transaction = undefined, Result = unknown> = (
  payload: Payload,
  context: MessageContext<Transaction>,
) => Result | PromiseLike<Result>;

/** @internal An async handler's result; anything else counts as a synchronous return. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}

/** @internal What a handler threw or rejected with: a `NonRetryableError` goes to the dead-letter queue at once. */
export function failureOf(error: unknown): Failure {
  const message = describeError(error);
  const reply = replyFieldsOf(error);
  return error instanceof NonRetryableError
    ? { error: message, reason: 'non-retryable', ...reply }
    : { error: message, ...reply };
}

/**
 * What an error reply tells the caller: the error's `remoteCode` or string `code`, and the error itself (its stack is
 * read only for a reply that asks for it: formatting a stack costs more than the rest of a failed attempt).
 */
function replyFieldsOf(error: unknown): { code?: string; thrown: unknown } {
  const e = error as { code?: unknown; remoteCode?: unknown } | undefined;
  const code = typeof e?.remoteCode === 'string' ? e.remoteCode : typeof e?.code === 'string' ? e.code : undefined;
  return { code, thrown: error };
}

/** @internal The reason a handler's signal is aborted with. */
export function aborted(code: 'HANDLER_TIMEOUT' | 'SHUTDOWN' | 'CHANNEL_LOST', why: string): HandlerAbortedError {
  return new HandlerAbortedError(code, `Handler aborted: ${why}.`);
}
