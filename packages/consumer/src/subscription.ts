import type { EventEmitter } from 'node:events';
import type { ConsumeMessage } from 'amqplib';
import type { z } from 'zod';
import { describeError, type Codec } from '@warren/core';
import { type WorkQueueLayout } from '@warren/topology';
import { AckBatcher } from './ack-batcher';
import { ackOnce, nackRequeue, returnKey, type ChannelLike, type Pending } from './channel';
import { Delivery } from './context';
import { decodePayload } from './decode';
import { runHandler, type ConsumeTelemetry } from './consumeTelemetry';
import { ConsumerError } from './errors';
import type { ConsumerEvents } from './events';
import { aborted, failureOf, isThenable, type Handler } from './handler';
import { planFailure, type Failure, type HandOff } from './handoff';
import { RequeueLater } from './idempotency/gate';
import { sendFailure, sendResult, type ReplyOptions } from './reply';
import { InFlight } from './in-flight';
import { QueuePresence } from './queue-presence';
import type { StatsRecorder } from './stats';

/** @internal Everything a subscription needs, normalised by the consumer. */
export interface SubscriptionOptions {
  readonly layout: WorkQueueLayout;
  readonly schema: z.ZodType | undefined;
  /** The contract's codec; undefined for a queue consumed by name (JSON). */
  readonly codec?: Codec;
  /** The handler, wrapped by `idempotentHandler` when the subscription has `idempotency`. */
  readonly handler: Handler<unknown, unknown>;
  readonly prefetch: number;
  readonly handlerTimeoutMs: number | undefined;
  /** Wait before reopening a closed channel, re-subscribing after a broker cancel, or requeueing a failed hand-off. */
  readonly retryDelayMs: number;
  /** How long the first subscribe waits for a missing queue before `consume()` rejects (`QUEUE_NOT_FOUND`). */
  readonly waitForQueueMs?: number;
  /** A new confirm channel on the current connection; undefined while disconnected. */
  readonly openChannel: () => Promise<ChannelLike> | undefined;
  readonly events: EventEmitter<ConsumerEvents>;
  readonly stats: StatsRecorder;
  /** How requests (deliveries with `replyTo`) are answered. @default no reply schema, no stacks */
  readonly reply?: ReplyOptions;
  /** The consumer's OpenTelemetry instruments; undefined without `@opentelemetry/api`. */
  readonly telemetry?: ConsumeTelemetry;
}

/**
 * One `consume()`: a confirm channel of its own (its prefetch, its failures), restored after every reconnect,
 * channel error and broker cancel. A delivery is settled at most once, and only on the channel it arrived on while
 * that channel is alive: the broker has requeued the deliveries of a dead channel, and acking them on a new channel
 * would close it with `406 unknown delivery tag`.
 * @internal
 */
export class Subscription {
  readonly queue: string;
  /** Deliveries whose handler runs or whose settle is not finished. */
  readonly inFlight = new InFlight();
  /** Resolves the first time the broker confirms the subscription. */
  readonly ready: Promise<void>;
  /** The subscription's state, and what it does about a missing queue. */
  readonly presence: QueuePresence;
  private channel: ChannelLike | undefined;
  /** The consumer tag; `''` while a `basic.consume` is on its way. */
  private consumerTag: string | undefined;
  private opening = false;
  private paused = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** Hand-offs the broker returned as unroutable (a missing tier or dead-letter queue), until their confirm. */
  private readonly returned = new Set<string>();
  private readonly idleWaiters: (() => void)[] = [];
  /** Acks decided this event-loop turn; they go out together on the next. */
  private readonly acks = new AckBatcher(
    this.inFlight,
    () => this.channel,
    (delivery, sent) => this.acked(delivery, sent),
  );
  private markReady!: () => void;
  private failReady!: (error: Error) => void;

  constructor(readonly options: SubscriptionOptions) {
    this.queue = options.layout.queue;
    this.presence = new QueuePresence(this.queue, options, this);
    this.ready = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // The caller may never await `ready` (a consumer closed before it connected).
    this.ready.catch(() => undefined);
  }

  /** Opens the channel and subscribes, unless that is done or under way. Called on every (re)connect. */
  async open(): Promise<void> {
    if (this.stopped || this.channel !== undefined || this.opening) return;
    const pending = this.options.openChannel();
    if (pending === undefined) return; // disconnected: the next 'connect' calls open()
    this.opening = true;
    const channel = await pending.then(
      (opened) => opened,
      (error: unknown) => this.retryLater(`cannot open a channel: ${describeError(error)}`, () => this.open()),
    );
    this.opening = false;
    if (channel === undefined) return;
    if (this.stopped) return void channel.close().catch(() => undefined);
    this.channel = channel;
    channel.on('error', this.presence.channelError);
    channel.on('close', () => this.onChannelClosed(channel));
    channel.on('return', (message) => this.returned.add(returnKey(message.fields.routingKey, message.properties)));
    await this.subscribe(channel);
  }

  /** Stops new deliveries; in-flight ones finish. */
  async pause(): Promise<void> {
    this.paused = true;
    await this.cancelConsumer();
  }

  async resume(): Promise<void> {
    this.paused = false;
    await (this.channel === undefined ? this.open() : this.subscribe(this.channel));
  }

  /** First step of `close()`: no new deliveries, no reopening. */
  async stopIntake(reason?: Error): Promise<void> {
    this.stopped = true;
    this.presence.closed();
    clearTimeout(this.timer);
    this.failReady(reason ?? new ConsumerError('CONSUMER_CLOSED', `The consumer of '${this.queue}' was closed.`));
    await this.cancelConsumer();
  }

  /** Resolves when no delivery is in flight. */
  idle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Last step of `close()`: aborts the handlers still running; closing the channel returns their messages. */
  async abortAndClose(): Promise<void> {
    this.acks.flush(); // finished work must not come back as a duplicate
    for (const delivery of this.inFlight) {
      // The channel's close requeues them: an aborted handler's rejection must not reach a retry tier.
      delivery.settled = true;
      delivery.abort(aborted('SHUTDOWN', 'the consumer is shutting down'));
      this.options.telemetry?.end(delivery);
    }
    const channel = this.channel;
    this.channel = undefined;
    if (channel !== undefined) await channel.close().catch(() => undefined);
  }

  private async subscribe(channel: ChannelLike): Promise<void> {
    if (this.paused || this.stopped || channel !== this.channel || this.consumerTag !== undefined) return;
    this.consumerTag = '';
    try {
      await channel.prefetch(this.options.prefetch, false);
      const onMessage = (message: ConsumeMessage | null): void =>
        message === null ? this.onCancelled(channel) : this.onMessage(channel, message);
      const { consumerTag } = await channel.consume(this.queue, onMessage, { noAck: false });
      if (channel !== this.channel) return;
      this.consumerTag = consumerTag;
    } catch (error) {
      // A missing queue (404) closes the channel: onChannelClosed reopens it later.
      if (channel === this.channel) this.consumerTag = undefined;
      if (this.presence.missing(error)) return;
      return this.warn(`cannot subscribe: ${describeError(error)}`);
    }
    if (this.paused || this.stopped) return this.cancelConsumer();
    this.presence.consuming();
    this.options.events.emit('subscribed', { queue: this.queue, prefetch: this.options.prefetch });
    this.markReady();
  }

  private async cancelConsumer(): Promise<void> {
    const { channel, consumerTag } = this;
    if (channel === undefined || !consumerTag) return;
    this.consumerTag = undefined;
    await channel.cancel(consumerTag).catch(() => undefined);
  }

  private onCancelled(channel: ChannelLike): void {
    if (channel !== this.channel) return;
    this.consumerTag = undefined;
    this.presence.interrupted();
    this.options.events.emit('cancelled', { queue: this.queue });
    this.retryLater('the broker cancelled the subscription (queue deleted?)', () => this.subscribe(channel));
  }

  private onChannelClosed(channel: ChannelLike): void {
    if (channel !== this.channel) return;
    this.channel = undefined;
    this.consumerTag = undefined;
    this.presence.interrupted();
    this.returned.clear();
    // The broker has requeued everything unacked on this channel: nothing may be settled any more.
    for (const delivery of this.inFlight) {
      if (delivery.channel !== channel) continue;
      delivery.abort(aborted('CHANNEL_LOST', 'the channel closed; the broker has requeued the message'));
      delivery.settled = true;
      this.finish(delivery);
    }
    if (!this.stopped) this.retryLater('', () => this.open());
  }

  private retryLater(warning: string, action: () => Promise<void>): void {
    if (warning) this.warn(warning);
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void action(), this.options.retryDelayMs);
  }

  // ---- the hot path: one call per delivery ----

  private onMessage(channel: ChannelLike, message: ConsumeMessage): void {
    // Arrived after close() began (the cancel is still on its way): back to the queue. Never left unsettled and
    // untracked, or a later multiple ack would cover it.
    if (this.stopped) return void nackRequeue({ channel, message } as Pending);
    const { events, stats, handlerTimeoutMs, telemetry } = this.options;
    const delivery: Pending = new Delivery(message, channel, this.queue, performance.now(), telemetry);
    this.inFlight.add(delivery);
    stats.delivered++;
    if (events.listenerCount('delivered') > 0) {
      const { messageId, attempt, redelivered } = delivery;
      events.emit('delivered', { queue: this.queue, messageId, attempt, redelivered });
    }
    const decoded = decodePayload(message, this.options.schema, this.options.codec);
    if (!decoded.ok) {
      delivery.handlerDone = true;
      return this.fail(delivery, decoded);
    }
    if (handlerTimeoutMs !== undefined) delivery.timer = setTimeout(this.onTimeout, handlerTimeoutMs, delivery);
    let result: unknown;
    try {
      result = runHandler(this.options.handler, decoded.value, delivery, telemetry);
    } catch (error) {
      return this.handlerFinished(delivery, error, true);
    }
    if (isThenable(result)) {
      result.then(
        (value: unknown) => this.handlerFinished(delivery, value, false),
        (error: unknown) => this.handlerFinished(delivery, error, true),
      );
    } else this.handlerFinished(delivery, result, false); // a synchronous result (a request's reply)
  }

  /** `outcome` is the error (failed), or the result: a `RequeueLater` from the idempotency gate puts it back. */
  private handlerFinished(delivery: Pending, outcome: unknown, failed: boolean): void {
    delivery.handlerDone = true;
    clearTimeout(delivery.timer);
    recordHandled(this.options, delivery, outcome, failed);
    if (!delivery.settled) {
      if (failed) this.fail(delivery, failureOf(outcome));
      else if (outcome instanceof RequeueLater) this.fail(delivery, { error: outcome.why, requeue: true });
      else {
        const invalidReply = sendResult(delivery, outcome, this.options.reply); // a request's reply, before its ack
        if (invalidReply) this.fail(delivery, invalidReply);
        else this.ack(delivery);
      }
    }
    this.release(delivery);
  }

  private readonly onTimeout = (delivery: Pending): void => {
    if (delivery.settled) return;
    const ms = this.options.handlerTimeoutMs;
    delivery.abort(aborted('HANDLER_TIMEOUT', `the handler did not finish within ${ms} ms`));
    this.fail(delivery, { error: `Handler timed out after ${ms} ms`, code: 'HANDLER_TIMEOUT' });
  };

  /** Queues the ack: the acks of one event-loop turn go out together (see `AckBatcher`). */
  private ack(delivery: Pending): void {
    delivery.settled = true;
    if (this.settleable(delivery)) this.acks.ack(delivery);
    else this.finish(delivery);
  }

  private acked(delivery: Pending, sent: boolean): void {
    const { events } = this.options;
    if (sent) countAck(this.options, delivery);
    if (sent && events.listenerCount('acked') > 0) {
      const durationMs = performance.now() - delivery.startedAt;
      events.emit('acked', { queue: this.queue, messageId: delivery.messageId, attempt: delivery.attempt, durationMs });
    }
    this.finish(delivery);
  }

  /** Hands a failed delivery to its retry tier or the dead-letter exchange (confirmed), then acks it. */
  private fail(delivery: Pending, failure: Failure): void {
    delivery.settled = true;
    if (!this.settleable(delivery)) return this.finish(delivery);
    if (failure.requeue === true) return this.requeueLater(delivery, failure.error);
    const plan = planFailure(delivery.message, this.options.layout, failure, new Date(), delivery.spanContext);
    if (plan === undefined) return this.requeueLater(delivery, 'no retry tier left and no dead-letter queue');
    const key = returnKey(plan.routingKey, plan.options);
    const onConfirm = (error: unknown): void => this.handedOff(delivery, plan, failure, key, error);
    try {
      delivery.channel.publish(plan.exchange, plan.routingKey, delivery.message.content, plan.options, onConfirm);
    } catch (error) {
      this.requeueLater(delivery, `cannot publish the ${plan.kind}: ${describeError(error)}`);
    }
  }

  private handedOff(delivery: Pending, plan: HandOff, failure: Failure, key: string, error: unknown): void {
    const returned = this.returned.delete(key);
    if (!this.settleable(delivery)) return this.finish(delivery);
    const target =
      plan.kind === 'retry' ? `retry tier '${plan.routingKey}'` : `dead-letter exchange '${plan.exchange}'`;
    if (error) return this.requeueLater(delivery, `the broker did not confirm the hand-off to ${target}`);
    if (returned) return this.requeueLater(delivery, `the ${target} has no queue bound (declare the topology)`);
    if (plan.kind === 'dead-letter')
      sendFailure(delivery, failure, plan.reason ?? 'retries-exhausted', this.options.reply);
    if (ackOnce(delivery, false)) recordHandOff(this.options, delivery, plan, failure);
    this.finish(delivery);
  }

  /**
   * Puts a message back after a pause, so a failure that cannot be handed off does not spin. `nack`, not
   * `reject`: RabbitMQ 4.3 counts only rejects toward a quorum queue's delivery limit, and a broker-side dead
   * letter would lose Warren's headers (or the message, without a dead-letter queue).
   */
  private requeueLater(delivery: Pending, why: string): void {
    this.warn(`message ${delivery.messageId ?? '(no id)'} requeued: ${why}`);
    const requeue = (): void => {
      if (this.settleable(delivery) && nackRequeue(delivery)) {
        this.options.stats.requeued++;
        this.options.events.emit('requeued', { queue: this.queue, messageId: delivery.messageId, why });
      }
      this.finish(delivery);
    };
    delivery.timer = setTimeout(requeue, this.stopped ? 0 : this.options.retryDelayMs);
  }

  /** The delivery may still be settled: its channel is the live one. */
  private settleable(delivery: Pending): boolean {
    return delivery.channel === this.channel;
  }

  private finish(delivery: Pending): void {
    delivery.finished = true;
    this.release(delivery);
  }

  private release(delivery: Pending): void {
    if (!delivery.handlerDone || !delivery.finished) return;
    this.inFlight.delete(delivery);
    this.options.telemetry?.end(delivery);
    if (this.inFlight.size === 0 && this.idleWaiters.length > 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private warn(message: string): void {
    this.options.events.emit('warning', { queue: this.queue, message });
  }
}

/** The handler's run time, in the stats and the telemetry. */
function recordHandled(options: SubscriptionOptions, delivery: Pending, outcome: unknown, failed: boolean): void {
  options.stats.handled(performance.now() - delivery.startedAt);
  options.telemetry?.handled(delivery, outcome, failed);
}

/** Counts a sent ack. */
function countAck(options: SubscriptionOptions, delivery: Pending): void {
  options.stats.acked++;
  options.telemetry?.acked(delivery);
}

/** Counts a confirmed hand-off and emits its event. */
function recordHandOff(options: SubscriptionOptions, delivery: Pending, plan: HandOff, failure: Failure): void {
  const { stats, events } = options;
  options.telemetry?.handedOff(delivery, plan, failure);
  const base = {
    queue: delivery.queue,
    messageId: delivery.messageId,
    attempt: delivery.attempt,
    error: failure.error,
  };
  if (plan.kind === 'retry') {
    stats.retried(plan.delayMs);
    events.emit('retried', { ...base, tier: plan.tier, delayMs: plan.delayMs });
  } else {
    const reason = plan.reason ?? 'retries-exhausted';
    stats.deadLettered(reason);
    events.emit('deadLettered', { ...base, reason });
  }
}
