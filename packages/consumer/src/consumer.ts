import { EventEmitter } from 'node:events';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { z } from 'zod';
import {
  bounded,
  closeManager,
  codecOf,
  connectFailedEvent,
  describeError,
  managerUrl,
  CLOSE_STEP_MS,
  openConnection,
  redactUrl,
  unknownOption,
  type MessageContract,
  type ParsedPayloadOf,
  type ReplyInputOf,
  type Health,
  type WarrenError,
} from '@warren/core';
import { workQueueLayout, type DesiredTopology, type WorkQueueLayout } from '@warren/topology';
import type { ChannelLike } from './channel';
import { consumerHealth, type CheckChannel } from './consumer-health';
import { logConsumer } from './consumer-log';
import { ConsumerError } from './errors';
import type { ConsumerEvents } from './events';
import type { Handler } from './handler';
import { idempotentHandler } from './idempotency/gate';
import {
  CLOSE_OPTIONS,
  resolveConsumeOptions,
  resolveConsumerOptions,
  type CloseOptions,
  type ConsumeOptions,
  type ConsumerOptions,
} from './options';
import { StatsRecorder, type ConsumerStats } from './stats';
import { Subscription } from './subscription';
import { createConsumeTelemetry, type ConsumeTelemetry } from './consumeTelemetry';

/**
 * Consumes work queues of a Warren topology. A message is acked only when its handler succeeded or its hand-off
 * to a retry tier or the dead-letter queue was confirmed by the broker.
 *
 * | Outcome of a delivery                                     | What happens                                                        |
 * | --------------------------------------------------------- | ------------------------------------------------------------------- |
 * | handler returns / resolves                                | `basic.ack`                                                         |
 * | handler throws / rejects / times out, a retry tier left   | confirmed publish of a copy to `q.retry.<delay>` (attempt + 1), ack |
 * | same, no tier left                                        | confirmed publish to `q.dlx`, reason `retries-exhausted`, ack       |
 * | invalid JSON / undecodable, schema failure, content type  | confirmed publish to `q.dlx` with that reason, ack                  |
 * | handler throws `NonRetryableError`                        | confirmed publish to `q.dlx`, reason `non-retryable`, ack           |
 * | hand-off nacked or returned (queue missing or full)       | after `retryDelayMs`: `basic.nack` requeue (never dropped)          |
 * | failure with no tier left and `deadLetter: false`         | after `retryDelayMs`: `basic.nack` requeue (never dropped)          |
 * | channel or connection died before the settle              | nothing: the broker has requeued it (`redelivered`), signal aborted |
 * | worker crashes                                            | the broker requeues; a quorum `delivery-limit` dead-letters loops   |
 * | `close()` timeout reached                                 | signal aborted, channel closed: the broker requeues it              |
 * | `idempotency`: the key is already done                    | `basic.ack` without the handler (`stats().duplicates`)              |
 * | `idempotency`: another worker holds the key               | after `retryDelayMs`: `basic.nack` requeue (never run concurrently) |
 *
 * @example
 * const consumer = createConsumer({ urls: process.env.AMQP_URL!, topology: deriveTopology(topology) });
 * await consumer.consume(OrderCreated, async (order, ctx) => {
 *   await billing.charge(order, { signal: ctx.signal, idempotencyKey: ctx.messageId });
 * }, { prefetch: 20 });
 * closeOnSignals(consumer);
 */
/** `connecting` → `connected` ⇄ `disconnected`; `closed` after `close()`, `failed` on a fatal connection error. */
export type ConsumerState = 'connecting' | 'connected' | 'disconnected' | 'closed' | 'failed';

export class Consumer extends EventEmitter<ConsumerEvents> {
  private readonly manager: AmqpConnectionManager;
  private readonly subscriptions: Subscription[] = [];
  private readonly recorder = new StatsRecorder();
  private readonly topology: DesiredTopology;
  private readonly retryDelayMs: number;
  private readonly stallAfterMs: number;
  private paused = false;
  private closing: Promise<void> | undefined;
  private fatal: WarrenError | undefined;
  private currentState: ConsumerState = 'connecting';
  private connectError = '';
  private readonly telemetry: ConsumeTelemetry | undefined;

  constructor(options: ConsumerOptions) {
    super();
    const resolved = resolveConsumerOptions(options);
    this.topology = resolved.topology;
    this.retryDelayMs = resolved.retryDelayMs;
    this.stallAfterMs = resolved.stallAfterMs;
    if (resolved.logger) logConsumer(this, resolved.logger, options.name);
    this.telemetry = createConsumeTelemetry(resolved.telemetry, () => this.subscriptions);
    this.manager = openConnection(resolved.connection, (error) => this.onFatal(error));
    // The same payloads as the publisher's: the node's URL and a reason, both password-free.
    this.manager.on('connect', ({ url }) => this.onConnect(managerUrl(url)));
    this.manager.on('disconnect', ({ err }: { err?: unknown }) => this.onDisconnect(err));
    this.manager.on('connectFailed', (failure) => this.onConnectFailed(connectFailedEvent(failure)));
  }

  /** Where the connection stands; with `lastConnectError`, what a health check reports. */
  get state(): ConsumerState {
    return this.currentState;
  }

  /** Why the last connect attempt failed (password masked), or ''. */
  get lastConnectError(): string {
    return this.connectError;
  }

  /**
   * Subscribes a handler to a work queue (by name, or the `queue` of a contract, whose schema then validates every
   * payload). Resolves once the broker confirmed the subscription; it is restored by itself after reconnects. With
   * `idempotency`, the handler runs at most once per key; `ctx.transaction` is typed by the store.
   */
  consume<C extends MessageContract, Transaction = undefined>(
    contract: C,
    handler: Handler<ParsedPayloadOf<C>, Transaction, ReplyInputOf<C>>,
    options?: ConsumeOptions<ParsedPayloadOf<C>, Transaction>,
  ): Promise<void>;
  consume<Transaction = undefined>(
    queue: string,
    handler: Handler<unknown, Transaction>,
    options?: ConsumeOptions<unknown, Transaction>,
  ): Promise<void>;
  consume(
    target: string | MessageContract,
    handler: Handler<never, never>,
    options: ConsumeOptions<never, unknown> = {},
  ): Promise<void> {
    try {
      return this.subscribe(target, handler as Handler<unknown, unknown>, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private subscribe(
    target: string | MessageContract,
    handler: Handler<unknown, unknown>,
    options: ConsumeOptions<never, unknown>,
  ): Promise<void> {
    if (this.closing !== undefined || this.fatal !== undefined) {
      throw this.fatal ?? new ConsumerError('CONSUMER_CLOSED', 'consume() was called after close().');
    }
    const layout = this.layoutOf(target);
    const { prefetch, handlerTimeoutMs, idempotency, replyErrorStack, waitForQueueMs } = resolveConsumeOptions(options);
    const subscription = new Subscription({
      layout,
      schema: typeof target === 'string' ? undefined : (target.schema as z.ZodType | undefined),
      codec: typeof target === 'string' ? undefined : codecOf(target),
      handler: idempotency ? idempotentHandler(handler, idempotency, layout.queue, this, this.recorder) : handler,
      prefetch,
      handlerTimeoutMs,
      retryDelayMs: this.retryDelayMs,
      waitForQueueMs,
      openChannel: () => this.manager.connection?.createConfirmChannel() as Promise<ChannelLike> | undefined,
      events: this,
      stats: this.recorder,
      telemetry: this.telemetry,
      reply: { schema: typeof target === 'string' ? undefined : target.reply, stack: replyErrorStack },
    });
    this.subscriptions.push(subscription);
    subscription.ready.catch((error: unknown) => forgetMissing(this.subscriptions, subscription, error));
    void subscription.open();
    return subscription.ready;
  }

  /** Stops new deliveries (cancels the subscriptions); in-flight handlers finish and are settled. */
  async pause(): Promise<void> {
    this.paused = true;
    await Promise.all(this.subscriptions.map((s) => s.pause()));
  }

  async resume(): Promise<void> {
    this.paused = false;
    if (this.closing === undefined) await Promise.all(this.subscriptions.map((s) => s.resume()));
  }

  /**
   * Idempotent: cancels the subscriptions (no new deliveries), waits up to `timeoutMs` for in-flight handlers,
   * aborts the rest (their messages go back to the queue), then closes the connection.
   */
  close(options: CloseOptions = {}): Promise<void> {
    const invalid = unknownOption('close()', options, CLOSE_OPTIONS);
    if (invalid) return Promise.reject(invalid);
    this.closing ??= this.shutdown(options.timeoutMs ?? 10_000);
    return this.closing;
  }

  stats(): ConsumerStats {
    const inFlight = this.subscriptions.reduce((n, s) => n + s.inFlight.size, 0);
    const subscriptions = this.subscriptions.map(({ queue, presence }) => ({ queue, state: presence.state }));
    return { ...this.recorder.snapshot(inFlight), subscriptions };
  }

  /**
   * For a health check (README, "Health"): the connection, `paused`, each subscription's state, and `stalled` when a
   * queue has ready messages but nothing finished for `stallAfterMs` (its ready count read over AMQP, bounded), or
   * when every prefetch slot has been busy longer than the handler timeout.
   */
  health(): Promise<Health> {
    const { currentState: state, paused, subscriptions, stallAfterMs } = this;
    const openChannel = (): Promise<CheckChannel> | undefined => this.manager.connection?.createChannel();
    return consumerHealth({ state, paused, subscriptions, stallAfterMs, openChannel });
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    const subscriptions = this.subscriptions;
    const deadline = Date.now() + timeoutMs;
    // Every broker round trip is bounded: on a dead or black-holed connection it would wait for the heartbeat.
    await bounded(Promise.all(subscriptions.map((s) => s.stopIntake(this.fatal))), CLOSE_STEP_MS);
    await bounded(Promise.all(subscriptions.map((s) => s.idle())), deadline - Date.now());
    await bounded(Promise.all(subscriptions.map((s) => s.abortAndClose())), CLOSE_STEP_MS);
    await closeManager(this.manager, CLOSE_STEP_MS);
    this.telemetry?.close();
    if (this.currentState !== 'failed') this.currentState = 'closed';
  }

  private onConnect(url: string): void {
    if (this.closing === undefined) this.currentState = 'connected';
    this.telemetry?.connectedTo(redactUrl(url));
    this.emit('connected', { url: redactUrl(url) });
    for (const subscription of this.subscriptions) void subscription.open();
  }

  private onDisconnect(err: unknown): void {
    if (this.closing === undefined) this.currentState = 'disconnected';
    this.emit('disconnected', { reason: err === undefined ? 'connection closed' : describeError(err) });
  }

  private onConnectFailed(event: { url: string; reason: string }): void {
    this.connectError = event.reason;
    this.emit('connectFailed', event);
  }

  private onFatal(error: WarrenError): void {
    this.fatal = error;
    this.currentState = 'failed';
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

/** A `consume()` rejected because its queue is missing is no subscription of the consumer any more. */
function forgetMissing(subscriptions: Subscription[], subscription: Subscription, error: unknown): void {
  const index = subscriptions.indexOf(subscription);
  if ((error as WarrenError | undefined)?.code === 'QUEUE_NOT_FOUND' && index >= 0) subscriptions.splice(index, 1);
}
