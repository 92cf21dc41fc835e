import type { ConsumeMessage, MessageProperties } from 'amqplib';
import { attemptOf, originOf, type OtelContext, type OtelSpan } from '@warren/core';
import { deliveryCountOf } from './delivery-count';

/**
 * What a handler learns about the delivery it is processing. `Transaction` is the type of `transaction`: the client
 * of a `PostgresTransactionalStore`'s transaction, `undefined` without one.
 */
export interface MessageContext<Transaction = undefined> {
  /** The publisher's message id: duplicates (at-least-once delivery) are detectable by it. */
  readonly messageId: string | undefined;
  readonly headers: Readonly<Record<string, unknown>>;
  /**
   * 1-based attempt number: 1 on the first delivery, 2 after the first retry tier, ... It counts the handler's
   * failures Warren handed to a retry tier (`x-warren-attempt`), not crashes: see `deliveryCount`.
   */
  readonly attempt: number;
  /**
   * How many times the broker delivered this copy of the message before without it being settled (the quorum
   * queue's `x-delivery-count`: a worker that died, a channel that closed, a requeue): 0 on the first delivery, and
   * always 0 on a classic queue, which does not count (see `redelivered`). It starts again at 0 in each retry tier.
   */
  readonly deliveryCount: number;
  /** The broker delivered this message before (a consumer died or its channel closed before settling it). */
  readonly redelivered: boolean;
  /** Aborted when the attempt times out, the consumer shuts down, or the channel dies: stop work when it fires. */
  readonly signal: AbortSignal;
  /** The exchange the message was first published to (not the retry tier it came back from). */
  readonly exchange: string;
  readonly routingKey: string;
  /** The work queue it was consumed from. */
  readonly queue: string;
  /** The message's AMQP properties (content type and encoding, headers, correlation id, ...), as amqplib gives them. */
  readonly properties: MessageProperties;
  /**
   * With `idempotency: { store: new PostgresTransactionalStore(…) }`: the client of the transaction the done-mark is
   * written in. Write through it, and your writes commit together with the mark (exactly once). `undefined` otherwise.
   */
  readonly transaction: Transaction;
}

const NO_HEADERS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * One delivery in flight and the context handed to its handler. Fields are computed on first read and the
 * `AbortController` is created only when the handler (or an abort) needs it: most handlers read little of it, and
 * this object is built for every message.
 * @internal
 */
export class Delivery<Channel = unknown> implements MessageContext<unknown> {
  /** Set once the delivery has been acked, nacked or handed off: one settle per delivery. */
  settled = false;
  /** Its ack waits for the end of this event-loop turn (acks are sent together). */
  ackQueued = false;
  /** The settle decided on has been carried out (or became moot when the channel closed). */
  finished = false;
  /** The handler's promise has settled (a timed-out handler may still run after its delivery was retried). */
  handlerDone = false;
  timer: NodeJS.Timeout | undefined;
  /** Set by the idempotency gate when the key was already done: the handler did not run. */
  duplicate = false;
  /** Set by the idempotency gate once the key is claimed. */
  transaction: unknown = undefined;
  /** Its OpenTelemetry `process` span and the context holding it (telemetry on). */
  span: OtelSpan | undefined = undefined;
  spanContext: OtelContext | undefined = undefined;
  private controller: AbortController | undefined;

  constructor(
    readonly message: ConsumeMessage,
    readonly channel: Channel,
    readonly queue: string,
    readonly startedAt: number,
    telemetry?: { start(delivery: Delivery): void },
  ) {
    telemetry?.start(this as Delivery);
  }

  get messageId(): string | undefined {
    return this.message.properties.messageId as string | undefined;
  }
  get headers(): Readonly<Record<string, unknown>> {
    return this.message.properties.headers ?? NO_HEADERS;
  }
  get attempt(): number {
    return attemptOf(this.message.properties.headers);
  }
  get deliveryCount(): number {
    return deliveryCountOf(this.message.properties.headers);
  }
  get properties(): MessageProperties {
    return this.message.properties;
  }
  get redelivered(): boolean {
    return this.message.fields.redelivered;
  }
  get exchange(): string {
    return originOf(this.message).exchange;
  }
  get routingKey(): string {
    return originOf(this.message).routingKey;
  }
  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  abort(reason: Error): void {
    this.controller ??= new AbortController();
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }
}
