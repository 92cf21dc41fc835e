import type { EventEmitter } from 'node:events';
import { describeError } from '@warren/core';
import { ConsumerError } from './errors';
import type { ConsumerEvents } from './events';

/**
 * Where a subscription stands (`consumer.stats().subscriptions`): `subscribing` until the broker confirms it (and
 * again after a broker cancel or a lost channel), `consuming`, `queue-missing` when the queue is gone from the broker
 * after it was consumed (deleted: the consumer re-subscribes every `retryDelayMs` until it is back), `closed`.
 */
export type SubscriptionState = 'subscribing' | 'consuming' | 'queue-missing' | 'closed';

/** One subscription's state, as `consumer.stats()` lists it. */
export interface SubscriptionStatus {
  readonly queue: string;
  readonly state: SubscriptionState;
}

/**
 * @internal What a subscription does when its queue is missing on the broker (`404 NOT_FOUND - no queue`, which
 * also closes the channel). Before the first `basic.consume-ok`: reject `consume()` with `QUEUE_NOT_FOUND` at once,
 * or after `waitForQueueMs` if the queue has not appeared by then. After it (the queue was deleted): state
 * `queue-missing`, one `queueMissing` event and one warning, then silent re-subscribing, not a warning per try.
 */
export class QueuePresence {
  state: SubscriptionState = 'subscribing';
  private consumedOnce = false;
  private waitTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly queue: string,
    private readonly options: {
      readonly waitForQueueMs?: number | undefined;
      readonly events: EventEmitter<ConsumerEvents>;
    },
    private readonly subscription: {
      stopIntake(reason: Error): Promise<void>;
      abortAndClose(): Promise<void>;
    },
  ) {}

  /** The channel's `'error'` listener: a missing queue is handled here, anything else is a warning. */
  readonly channelError = (error: Error): void => {
    if (this.missing(error)) return;
    const message = `channel closed by the broker: ${describeError(error)}`;
    this.options.events.emit('warning', { queue: this.queue, message });
  };

  /** True when `error` is the broker saying this queue does not exist (then it is handled here, not warned about). */
  missing(error: unknown): boolean {
    if (!isNoQueue(error, this.queue)) return false;
    if (this.state === 'queue-missing' || this.state === 'closed') return true;
    this.state = 'queue-missing';
    const { waitForQueueMs, events } = this.options;
    if (this.consumedOnce) {
      events.emit('queueMissing', { queue: this.queue });
      const message = `the queue is missing on the broker (deleted?): re-subscribing until it is back (warren apply)`;
      events.emit('warning', { queue: this.queue, message });
    } else if (waitForQueueMs === undefined) this.giveUp(notFound(this.queue, error));
    else this.waitTimer ??= setTimeout(() => this.giveUp(notFound(this.queue, error, waitForQueueMs)), waitForQueueMs);
    return true;
  }

  consuming(): void {
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    this.consumedOnce = true;
    this.state = 'consuming';
  }

  /** The broker cancelled the subscription or its channel closed: it is being restored. */
  interrupted(): void {
    if (this.state === 'consuming') this.state = 'subscribing';
  }

  closed(): void {
    clearTimeout(this.waitTimer);
    this.state = 'closed';
  }

  /** Ends the subscription: `consume()` rejects with `error`, and the channel is closed. */
  private giveUp(error: ConsumerError): void {
    void this.subscription.stopIntake(error).then(() => this.subscription.abortAndClose());
  }
}

/** `404 NOT_FOUND - no queue 'q' in vhost '/'`, from the `basic.consume` or the channel's close. */

function isNoQueue(error: unknown, queue: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 404 && typeof message === 'string' && message.includes(`no queue '${queue}'`);
}

function notFound(queue: string, cause: unknown, waitedMs?: number): ConsumerError {
  const when = waitedMs === undefined ? '' : ` and did not appear within waitForQueueMs (${waitedMs} ms)`;
  return new ConsumerError(
    'QUEUE_NOT_FOUND',
    `Queue '${queue}' does not exist on the broker${when} (${describeError(cause)}): the topology was not applied. ` +
      `Run \`warren apply\` before starting the consumer, or pass waitForQueueMs to consume() to wait for it.`,
    { cause, replyCode: 404 },
  );
}
