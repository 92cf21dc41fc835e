import type { WarrenError } from '@warren/core';
import { retryAfter } from './backoff';
import type { ConfirmWindow } from './ConfirmWindow';
import type { DeadlineTimer } from './DeadlineTimer';
import {
  BlockedError,
  BrokerBusyError,
  BufferFullError,
  MessageTooLargeError,
  NotSentError,
  PublisherClosedError,
  PublishTimeoutError,
  UnroutableError,
} from './errors';
import type { ResolvedOptions } from './options';
import type { Outbound, ReturnInfo } from './Outbound';
import type { OutboundBuffer } from './OutboundBuffer';

// The typed errors a publish fails with, built from the message, the options and what the publisher reports about
// itself (passed in: these functions hold no state). Errors named by a channel's close are in channelErrors.ts.

/**
 * @internal Why a message cannot even be accepted, if it cannot: the publisher failed for good or is closing, or
 * the body is over `maxMessageBytes`.
 */
export function refusal(
  bytes: number,
  options: ResolvedOptions,
  fatal: WarrenError | undefined,
  closing: boolean,
): WarrenError | undefined {
  if (fatal) return fatal;
  if (closing) return new PublisherClosedError('PUBLISHER_CLOSED', 'The publisher is closed.');
  if (bytes <= options.maxMessageBytes) return undefined;
  return new MessageTooLargeError(
    'MESSAGE_TOO_LARGE',
    `The message is ${bytes} bytes, over the ${options.maxMessageBytes}-byte limit (maxMessageBytes; ` +
      `RabbitMQ 4 refuses more than 16 MiB by default). Store large payloads elsewhere and send a reference.`,
  );
}

/** @internal What a timeout reports about the connection: the channel slot is one. */
export interface LinkStatus {
  /** The open channel, if any: with one the broker was slow, without one the publisher was not connected. */
  readonly channel: unknown;
  /** Why the last connect attempt failed, or ''. */
  readonly lastConnectError: string;
}

/** @internal The broker nacked the message until its deadline: a refusal, unless a copy lost with a channel may be in. */
export function refused(
  message: Outbound,
  options: ResolvedOptions,
  link: LinkStatus,
): BrokerBusyError | PublishTimeoutError {
  return message.mayHaveArrived ? timedOut(message, options, link) : busy(message, options);
}

/** @internal The broker kept nacking the message: retry after the back-off step it had reached. */
export function busy(message: Outbound, options: ResolvedOptions): BrokerBusyError {
  const { backoffInitialMs, backoffMaxMs } = options;
  return new BrokerBusyError(
    'BROKER_BUSY',
    `The broker refused the message ${message.nacks} time(s) (nack: a full queue with overflow reject-publish?) ` +
      `until its deadline. Retry later.`,
    retryAfter(message.nacks, backoffInitialMs, backoffMaxMs),
  );
}

/** Bounds of `BlockedError.retryAfterMs`: the time the broker has been blocked, from 1 s to a minute. */
const BLOCKED_RETRY_AFTER_MS = { min: 1_000, max: 60_000 };

/**
 * @internal The broker stayed blocked (memory or disk alarm) past the deadline of a message never sent. An alarm
 * that has lasted `blockedForMs` is likely to last about as long again: that is the suggested wait, within
 * `BLOCKED_RETRY_AFTER_MS`.
 */
export function blocked(message: Outbound, blockedForMs: number): BlockedError {
  const { min, max } = BLOCKED_RETRY_AFTER_MS;
  return new BlockedError(
    'BROKER_BLOCKED',
    `The broker blocked publishing (memory or disk alarm) and did not unblock before the message's deadline ` +
      `(${message.messageId}). It was never sent and will not arrive: retry later.`,
    Math.min(max, Math.max(min, Math.round(blockedForMs))),
  );
}

/**
 * @internal The error of a message past its deadline (the deadline timer found it). A message sent and not yet
 * answered may still arrive, whatever happened to its earlier copies: that is a timeout (indeterminate); one never
 * sent cannot arrive (definite). `blockedForMs`: how long the broker has been blocking publishes, when it is.
 */
export function expired(
  message: Outbound,
  inFlight: boolean,
  options: ResolvedOptions,
  held: { readonly heldMessages: number; readonly heldBytes: number },
  link: LinkStatus,
  blockedForMs: number | undefined,
): WarrenError {
  if (!message.held) return bufferFull(options, held); // still waiting for buffer space
  if (!inFlight && message.nacks > 0) return refused(message, options, link);
  if (message.sentAt === 0)
    return blockedForMs === undefined ? notSent(message, options, link) : blocked(message, blockedForMs);
  return timedOut(message, options, link);
}

/** @internal The deadline came before the message was ever written to a channel: it cannot arrive. */
export function notSent(message: Outbound, options: ResolvedOptions, link: LinkStatus): NotSentError {
  const why =
    link.channel !== undefined
      ? 'the broker was slow to confirm the messages before it (maxInFlight reached)'
      : `not connected${link.lastConnectError ? ` (last error: ${link.lastConnectError})` : ''}`;
  return new NotSentError(
    'NOT_SENT',
    `Message ${message.messageId} was not sent before its deadline: ${why}. It will not arrive: retry later.`,
    Math.max(1_000, options.reconnectMs),
  );
}

/** @internal A message sent at least once got no confirm before its deadline: its outcome is unknown. */
export function timedOut(message: Outbound, options: ResolvedOptions, link: LinkStatus): PublishTimeoutError {
  const why =
    link.channel !== undefined
      ? 'the broker did not confirm it in time'
      : `the connection was lost${link.lastConnectError ? ` (last error: ${link.lastConnectError})` : ''}`;
  return new PublishTimeoutError(
    'PUBLISH_TIMEOUT',
    `Message ${message.messageId} was sent but not confirmed before its deadline: ${why}. It may still ` +
      `arrive; retry with the same messageId.`,
    Math.max(1_000, options.reconnectMs),
  );
}

/** @internal The buffer is full; `held` is what it holds now (the outbound buffer). */
export function bufferFull(
  options: ResolvedOptions,
  held: { readonly heldMessages: number; readonly heldBytes: number },
): BufferFullError {
  const { maxBufferMessages, maxBufferBytes } = options;
  return new BufferFullError(
    'BUFFER_FULL',
    `The publisher's buffer is full (${held.heldMessages}/${maxBufferMessages} messages, ${held.heldBytes}/` +
      `${maxBufferBytes} bytes): the broker is down, blocked or slower than the publishing rate. Retry later.`,
    Math.max(1_000, options.reconnectMs),
  );
}

/** @internal A `basic.return` named the message before its ack: no binding matched, the broker dropped it. */
export function unroutable(message: Pick<Outbound, 'exchange' | 'routingKey'>, returned: ReturnInfo): UnroutableError {
  const { replyCode, replyText } = returned;
  const where = `exchange '${message.exchange}' with routing key '${message.routingKey}'`;
  return new UnroutableError(
    'UNROUTABLE',
    `No queue is bound to ${where} (${replyCode} ${replyText}): the message was dropped. Declare the binding ` +
      `(warren apply) or fix the routing key.`,
    { replyCode },
  );
}

/**
 * Fails every message the publisher holds. The waiting first: failing a held message frees room, which would move a
 * waiting one into the already drained pending queue, where nothing would settle it.
 */
export function failEverything(
  buffer: OutboundBuffer,
  window: ConfirmWindow,
  deadlines: DeadlineTimer,
  error: Error,
): void {
  for (const message of buffer.waiting.drain()) if (message) buffer.fail(message, error);
  for (const message of buffer.pending.drain()) if (message) buffer.fail(message, error);
  for (const message of window.drain()) buffer.fail(message, error);
  for (const message of deadlines.drain()) buffer.fail(message, error);
}
