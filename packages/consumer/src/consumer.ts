import { EventEmitter } from 'node:events';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { z } from 'zod';
import { describeError, openConnection, type MessageContract, type ParsedPayloadOf, WarrenError } from '@warren/core';
import { workQueueLayout, type DesiredTopology, type WorkQueueLayout } from '@warren/topology';
import { ConsumerError } from './errors';
import type { ConsumerEvents } from './events';
import { StatsRecorder, type ConsumerStats } from './stats';
import { Subscription, type ChannelLike, type Handler } from './subscription';

export interface ConsumerOptions {
  /** One URL, several (cluster nodes, tried in turn), or a comma-separated list as in `AMQP_URL`. */
  readonly urls: string | readonly string[];
  /** The connection's name in the management UI. */
  readonly name?: string;
  /** The derived topology (`deriveTopology(...)`): where each work queue's retry tiers and dead-letter queue are. */
  readonly topology: DesiredTopology;
  /** @default 5 */
  readonly heartbeatSeconds?: number;
  /**
   * Milliseconds to wait before reopening a channel the broker closed, re-subscribing after a broker cancel, or
   * requeueing a message whose hand-off to a retry tier or dead-letter queue was not confirmed.
   * @default 1000
   */
  readonly retryDelayMs?: number;
}

export interface ConsumeOptions {
  /**
   * Messages in flight in this process for this queue (the channel's `basic.qos`): handlers run concurrently up to
   * this bound and nothing is queued locally beyond it.
   * @default 10
   */
  readonly prefetch?: number;
  /** Abort the handler's signal and count the attempt as failed (retried) after this many milliseconds. @default none */
  readonly handlerTimeoutMs?: number;
}

export interface CloseOptions {
  /**
   * How long in-flight handlers may run after intake stopped; then their signals are aborted and their messages
   * go back to the queue.
   * @default 10000
   */
  readonly timeoutMs?: number;
}

/**
 * Consumes work queues of a Warren topology. A message is acked only when its handler succeeded or its hand-off
 * to a retry tier or the dead-letter queue was confirmed by the broker.
 *
 * | Outcome of a delivery                                     | What happens                                                        |
 * | --------------------------------------------------------- | ------------------------------------------------------------------- |
 * | handler returns / resolves                                | `basic.ack`                                                         |
 * | handler throws / rejects / times out, a retry tier left   | confirmed publish of a copy to `q.retry.<delay>` (attempt + 1), ack |
 * | same, no tier left                                        | confirmed publish to `q.dlx`, reason `retries-exhausted`, ack       |
 * | invalid JSON, schema failure, unknown content type        | confirmed publish to `q.dlx` with that reason, ack                  |
 * | handler throws `NonRetryableError`                        | confirmed publish to `q.dlx`, reason `non-retryable`, ack           |
 * | hand-off nacked or returned (queue missing or full)       | after `retryDelayMs`: `basic.nack` requeue (never dropped)          |
 * | failure with no tier left and `deadLetter: false`         | after `retryDelayMs`: `basic.nack` requeue (never dropped)          |
 * | channel or connection died before the settle              | nothing: the broker has requeued it (`redelivered`), signal aborted |
 * | worker crashes                                            | the broker requeues; a quorum `delivery-limit` dead-letters loops   |
 * | `close()` timeout reached                                 | signal aborted, channel closed: the broker requeues it              |
 *
 * @example
 * const consumer = createConsumer({ urls: process.env.AMQP_URL!, topology: deriveTopology(topology) });
 * await consumer.consume(OrderCreated, async (order, ctx) => {
 *   await billing.charge(order, { signal: ctx.signal, idempotencyKey: ctx.messageId });
 * }, { prefetch: 20 });
 * closeOnSignals(consumer);
 */
export class Consumer extends EventEmitter<ConsumerEvents> {
  private readonly manager: AmqpConnectionManager;
  private readonly subscriptions: Subscription[] = [];
  private readonly recorder = new StatsRecorder();
  private readonly topology: DesiredTopology;
  private readonly retryDelayMs: number;
  private closing: Promise<void> | undefined;
  private fatal: WarrenError | undefined;

  constructor(options: ConsumerOptions) {
    super();
    this.topology = options.topology;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    const { urls, name, heartbeatSeconds } = options;
    this.manager = openConnection({ urls, name, heartbeatSeconds }, (error) => this.onFatal(error));
    this.manager.on('connect', () => this.onConnect());
    this.manager.on('disconnect', ({ err }) => this.emit('disconnected', { error: describeError(err) }));
  }

  /**
   * Subscribes a handler to a work queue (by name, or the `queue` of a contract, whose schema then validates every
   * payload). Resolves once the broker confirmed the subscription; it is restored by itself after reconnects.
   */
  consume<C extends MessageContract>(
    contract: C,
    handler: Handler<ParsedPayloadOf<C>>,
    options?: ConsumeOptions,
  ): Promise<void>;
  consume(queue: string, handler: Handler<unknown>, options?: ConsumeOptions): Promise<void>;
  consume(target: string | MessageContract, handler: Handler<never>, options: ConsumeOptions = {}): Promise<void> {
    try {
      return this.subscribe(target, handler as Handler<unknown>, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private subscribe(
    target: string | MessageContract,
    handler: Handler<unknown>,
    options: ConsumeOptions,
  ): Promise<void> {
    if (this.closing !== undefined || this.fatal !== undefined) {
      throw this.fatal ?? new ConsumerError('CONSUMER_CLOSED', 'consume() was called after close().');
    }
    const subscription = new Subscription({
      layout: this.layoutOf(target),
      schema: typeof target === 'string' ? undefined : (target.schema as z.ZodType),
      handler,
      prefetch: positiveInteger('prefetch', options.prefetch ?? 10, 65_535),
      handlerTimeoutMs:
        options.handlerTimeoutMs === undefined
          ? undefined
          : positiveInteger('handlerTimeoutMs', options.handlerTimeoutMs, 2 ** 31 - 1),
      retryDelayMs: this.retryDelayMs,
      openChannel: () => this.manager.connection?.createConfirmChannel() as Promise<ChannelLike> | undefined,
      events: this,
      stats: this.recorder,
    });
    this.subscriptions.push(subscription);
    void subscription.open();
    return subscription.ready;
  }

  /** Stops new deliveries (cancels the subscriptions); in-flight handlers finish and are settled. */
  async pause(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.pause()));
  }

  async resume(): Promise<void> {
    if (this.closing === undefined) await Promise.all(this.subscriptions.map((s) => s.resume()));
  }

  /**
   * Idempotent: cancels the subscriptions (no new deliveries), waits up to `timeoutMs` for in-flight handlers,
   * aborts the rest (their messages go back to the queue), then closes the connection.
   */
  close(options: CloseOptions = {}): Promise<void> {
    this.closing ??= this.shutdown(options.timeoutMs ?? 10_000);
    return this.closing;
  }

  stats(): ConsumerStats {
    const inFlight = this.subscriptions.reduce((n, s) => n + s.inFlight.size, 0);
    return this.recorder.snapshot(inFlight);
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    const subscriptions = this.subscriptions;
    const deadline = Date.now() + timeoutMs;
    // Every broker round trip is bounded: on a dead or black-holed connection it would wait for the heartbeat.
    await bounded(Promise.all(subscriptions.map((s) => s.stopIntake(this.fatal))), BROKER_OP_TIMEOUT_MS);
    await bounded(Promise.all(subscriptions.map((s) => s.idle())), deadline - Date.now());
    await bounded(Promise.all(subscriptions.map((s) => s.abortAndClose())), BROKER_OP_TIMEOUT_MS);
    await bounded(this.manager.close(), BROKER_OP_TIMEOUT_MS);
  }

  private onConnect(): void {
    this.emit('connected');
    for (const subscription of this.subscriptions) void subscription.open();
  }

  private onFatal(error: WarrenError): void {
    this.fatal = error;
    this.emit('failed', error);
    void this.close({ timeoutMs: 0 });
  }

  private layoutOf(target: string | MessageContract): WorkQueueLayout {
    const queue = typeof target === 'string' ? target : target.queue;
    if (queue === undefined) {
      throw new ConsumerError(
        'INVALID_TARGET',
        `The contract for '${target instanceof Object ? target.exchange : ''}' has no \`queue\`: pass the queue ` +
          `name to consume(), or add \`queue\` to defineContract().`,
      );
    }
    return workQueueLayout(this.topology, queue);
  }
}

/** Creates a consumer and starts connecting. */
export function createConsumer(options: ConsumerOptions): Consumer {
  return new Consumer(options);
}

/** How long `close()` waits for one broker round trip (cancel, channel close, connection close). */
const BROKER_OP_TIMEOUT_MS = 5_000;

/** Waits for `promise` at most `ms` (its failure is ignored: closing is best effort once intake stopped). */
async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))));
  await Promise.race([promise.catch(() => undefined), timeout]);
  clearTimeout(timer);
}

function positiveInteger(name: string, value: number, max: number): number {
  if (Number.isInteger(value) && value > 0 && value <= max) return value;
  throw new WarrenError('INVALID_OPTION', `${name} must be an integer from 1 to ${max}, got ${String(value)}.`);
}
