import type { ConnectedEvent, ConnectFailedEvent, DisconnectedEvent, WarrenError } from '@warren/core';
import type { DeadLetterReason } from './decode';

export interface DeliveredEvent {
  readonly queue: string;
  readonly messageId: string | undefined;
  readonly attempt: number;
  readonly redelivered: boolean;
}
export interface AckedEvent {
  readonly queue: string;
  readonly messageId: string | undefined;
  readonly attempt: number;
  /** Time from delivery to the handler's return, in milliseconds. */
  readonly durationMs: number;
}
export interface RetriedEvent {
  readonly queue: string;
  readonly messageId: string | undefined;
  /** The attempt that failed. */
  readonly attempt: number;
  /** 0-based retry tier the message was handed to, and its delay. */
  readonly tier: number;
  readonly delayMs: number;
  readonly error: string;
}
export interface DeadLetteredEvent {
  readonly queue: string;
  readonly messageId: string | undefined;
  readonly attempt: number;
  readonly reason: DeadLetterReason;
  readonly error: string;
}
/** A message whose idempotency key is already done was acked without running the handler. */
export interface DuplicateEvent {
  readonly queue: string;
  readonly messageId: string | undefined;
  /** The idempotency key (the `messageId` unless `idempotency.key` derives another). */
  readonly key: string;
}
/** A failed message went back to its queue: its hand-off was not confirmed, or there is no dead-letter queue. */
export interface RequeuedEvent {
  readonly queue: string;
  readonly messageId: string | undefined;
  readonly why: string;
}

/** The consumer's typed events. None of them is `'error'`: nothing a consumer emits can crash the process. */
export interface ConsumerEvents {
  delivered: [DeliveredEvent];
  acked: [AckedEvent];
  retried: [RetriedEvent];
  deadLettered: [DeadLetteredEvent];
  requeued: [RequeuedEvent];
  duplicate: [DuplicateEvent];
  /** The broker cancelled the subscription (queue deleted); the consumer re-subscribes when the queue is back. */
  cancelled: [{ readonly queue: string }];
  /**
   * A queue consumed before is missing on the broker (deleted): `stats().subscriptions` shows it `queue-missing`
   * until it is back; the consumer re-subscribes every `retryDelayMs` meanwhile.
   */
  queueMissing: [{ readonly queue: string }];
  /** A subscription is (again) consuming: after `consume()`, a reconnect, a broker cancel or `resume()`. */
  subscribed: [{ readonly queue: string; readonly prefetch: number }];
  /** Connected (again) to a node: its URL, password masked. The subscriptions are restored next. */
  connected: [ConnectedEvent];
  /** The connection was lost (password-free reason); the consumer reconnects by itself. */
  disconnected: [DisconnectedEvent];
  /**
   * A connect attempt failed (refused, unreachable, TLS, login): emitted for every attempt, so a worker with a wrong
   * host or CA is not silent. The consumer retries, unless the failure is fatal (then `failed` follows).
   */
  connectFailed: [ConnectFailedEvent];
  /** Something went wrong that the consumer recovers from by itself (a channel closed by the broker, ...). */
  warning: [{ readonly queue?: string; readonly message: string }];
  /** The connection cannot succeed (wrong credentials or vhost): the consumer has stopped. */
  failed: [WarrenError];
}
