import { EventEmitter } from 'node:events';
import type { Message } from 'amqplib';
import {
  codecOf,
  describeError,
  InvalidDelayError,
  type ConnectionConfigError,
  type Health,
  type MessageContract,
  type PayloadOf,
  type ReplyOf,
  unknownOption,
  type WarrenError,
} from '@warren/core';
import { culpritOf } from './channelErrors';
import { ChannelSlot, type ConfirmChannelLike, type Connect } from './ChannelSlot';
import { ConfirmWindow } from './ConfirmWindow';
import { DeadlineTimer } from './DeadlineTimer';
import { NackBackoff } from './NackBackoff';
import { BINARY_TYPE, encodeOrError, encodeUncheckedJson, JSON_TYPE, toProperties, unencodable } from './encoding';
import { PublisherClosedError } from './errors';
import { bufferFull, expired, failEverything, refusal, refused, unroutable } from './failures';
import { newMessageId } from './messageId';
import {
  PUBLISH_OPTIONS,
  PUBLISHER_CLOSE_OPTIONS,
  RAW_PUBLISH_OPTIONS,
  type PublisherCloseOptions,
  type PublishOptions,
  type RawPublishOptions,
  type ResolvedOptions,
} from './options';
import { publisherHealth } from './publisherHealth';
import { isScheduled, scheduleDestination } from './schedule';
import { Outbound, type PublishResult } from './Outbound';
import { OutboundBuffer } from './OutboundBuffer';
import { createPublishTelemetry, type PublishTelemetry } from './publishTelemetry';
import type { PublisherEvents, PublisherState, ReturnedMessage } from './PublisherEvents';
import { Requester, type RequestOptions } from './Requester';

/**
 * Publishes with publisher confirms over a reconnecting connection. A publish resolves only when the broker has
 * confirmed the message; otherwise it fails with a typed error telling the caller what to do.
 *
 * | What happens                                   | What the publisher does                                        | Error (code)                             |
 * | ---------------------------------------------- | -------------------------------------------------------------- | ---------------------------------------- |
 * | payload fails the contract's schema            | fails at once, nothing sent                                    | `ValidationError` (VALIDATION_FAILED)    |
 * | body over `maxMessageBytes` / headers > 64 KiB | fails at once, nothing sent                                    | `MessageTooLargeError` (MESSAGE_TOO_LARGE / HEADERS_TOO_LARGE) |
 * | buffer full (messages or bytes)                | fails at once (or waits for space up to the deadline)          | `BufferFullError` (BUFFER_FULL)          |
 * | connection lost with messages unconfirmed      | re-sends them (same `messageId`) on the next connection        | after the deadline: `PublishTimeoutError` (PUBLISH_TIMEOUT) |
 * | disconnected / connecting                      | buffers, sends on connect                                      | after the deadline: `NotSentError` (NOT_SENT) if never sent |
 * | broker nack (queue full, `reject-publish`)     | retries, exponential back-off with full jitter                 | when the budget is spent: `BrokerBusyError` (BROKER_BUSY); `PublishTimeoutError` if a copy may have arrived |
 * | `connection.blocked` (memory/disk alarm)       | holds messages until `unblocked`                               | after the deadline: `BlockedError` (BROKER_BLOCKED) if never sent, else `PublishTimeoutError` |
 * | `basic.return` (no route, `mandatory`)         | fails the message                                              | `UnroutableError` (UNROUTABLE, 312)      |
 * | channel closed: exchange missing (404)         | fails the messages for that exchange, re-sends the others      | `ExchangeNotFoundError` (EXCHANGE_NOT_FOUND) |
 * | channel closed: 403 on the exchange / 406 size | fails the culprit, re-sends the others                         | `ConnectionConfigError` (ACCESS_REFUSED) / `MessageTooLargeError` |
 * | wrong credentials (403) / missing vhost        | stops reconnecting, fails everything, state `failed`           | `ConnectionConfigError` (ACCESS_REFUSED / VHOST_NOT_FOUND) |
 * | `close()` called                               | waits for confirms up to its deadline, then fails the rest     | `PublisherClosedError` (PUBLISHER_CLOSED) |
 *
 * The back-pressure errors (`BrokerBusyError`, `BufferFullError`, `BlockedError`, `PublishTimeoutError`) extend
 * `BackPressureError` and carry `retryAfterMs`. Only `PublishTimeoutError` is indeterminate: the message had been
 * sent and may still arrive (at-least-once; deduplicate by `messageId`). The others are definite: not delivered.
 *
 * @example
 * const publisher = createPublisher({ urls: process.env.AMQP_URL!, name: 'orders-api' });
 * await publisher.publish(OrderCreated, { orderId: '42', total: 10 });
 * await publisher.close();
 */
export class Publisher extends EventEmitter<PublisherEvents> {
  private readonly slot: ChannelSlot;
  private readonly buffer: OutboundBuffer;
  private readonly deadlines: DeadlineTimer;
  private window = new ConfirmWindow();
  private draining = false;
  private isBlocked = false;
  private blockedSince = 0;
  private readonly backoff: NackBackoff;
  private currentState: PublisherState = 'connecting';
  private fatal: WarrenError | undefined;
  private closing: Promise<void> | undefined;
  private readonly telemetry: PublishTelemetry | undefined;

  /** @internal Use `createPublisher()`. */
  constructor(
    private readonly options: ResolvedOptions,
    connect: Connect,
    private readonly requests = new Requester(options, connect),
  ) {
    super();
    this.requests.onLateReply = (event) => this.emit('lateReply', event);
    this.telemetry = createPublishTelemetry(options, () => ({ ...this.bufferSize, inFlight: this.window.size }));
    const onFull = (full: boolean): boolean => this.emit('bufferFull', { full, ...this.bufferSize });
    this.buffer = new OutboundBuffer(options, onFull, this.telemetry);
    this.backoff = new NackBackoff(options);
    // The helpers call back through these hooks, made once here (none per message).
    this.deadlines = new DeadlineTimer(this.buffer, {
      inFlight: () => this.window,
      expire: (message, inFlight) => this.expire(message, inFlight),
      pump: () => this.pump(),
    });
    this.slot = new ChannelSlot(connect, options.reconnectMs, {
      opened: (channel) => this.onChannelOpen(channel),
      closed: (error) => this.onChannelClose(error),
      connectFailed: (event) => this.emit('connectFailed', event),
      disconnected: (error) => this.onDisconnect(error),
      blocked: (reason) => this.onBlocked(reason),
      unblocked: () => this.onUnblocked(),
      fatal: (error) => this.onFatal(error),
    });
  }

  /** `connecting` → `connected` ⇄ `disconnected` / `blocked`; `closed` after `close()`, `failed` on a fatal error. */
  get state(): PublisherState {
    return this.currentState;
  }

  /** Why the last connect attempt failed (password masked), or ''. */
  get lastConnectError(): string {
    return this.slot.lastConnectError;
  }

  /** What the publisher holds: accepted messages not yet confirmed (buffered, in flight or backing off). */
  get bufferSize(): { messages: number; bytes: number } {
    return { messages: this.buffer.heldMessages, bytes: this.buffer.heldBytes };
  }

  /** For a health check: the state and the buffer's fill (README, "Health"). */
  health(): Health {
    return publisherHealth(this.currentState, this.buffer, this.options);
  }

  /**
   * Validates `payload` against the contract's schema, encodes it with the contract's codec (JSON unless it names
   * one), sends it to the contract's exchange and routing key, and resolves when the broker confirms it.
   */
  publish<C extends MessageContract>(
    contract: C,
    payload: PayloadOf<C>,
    options?: PublishOptions,
  ): Promise<PublishResult> {
    const body = unknownOption('publish()', options, PUBLISH_OPTIONS) ?? encodeOrError(contract, payload);
    if (!Buffer.isBuffer(body)) return Promise.reject(body);
    return this.enqueue(contract.exchange, contract.routingKey, body, codecOf(contract).contentType, options);
  }

  /** Sends a request and resolves with the worker's reply: see `Requester` and the README's "Request/reply". */
  request<C extends MessageContract>(contract: C, payload: PayloadOf<C>, opts?: RequestOptions): Promise<ReplyOf<C>> {
    return this.requests.request(contract, payload, opts);
  }

  /**
   * Sends a message without a contract. A Buffer is sent as is; anything else is sent as JSON. Resolves when the
   * broker confirms it.
   */
  publishRaw(exchange: string, routingKey: string, body: unknown, options?: RawPublishOptions): Promise<PublishResult> {
    const invalid = options && unknownOption('publishRaw()', options, RAW_PUBLISH_OPTIONS);
    if (invalid) return Promise.reject(invalid);
    let content: Buffer;
    try {
      content = Buffer.isBuffer(body) ? body : encodeUncheckedJson(body);
    } catch (error) {
      return Promise.reject(error);
    }
    const contentType = options?.contentType ?? (Buffer.isBuffer(body) ? BINARY_TYPE : JSON_TYPE);
    return this.enqueue(exchange, routingKey, content, contentType, options);
  }

  /**
   * Stops accepting publishes, waits for the unconfirmed ones up to `timeoutMs` (default: the publisher's
   * `timeoutMs`), fails the rest with `PublisherClosedError`, and closes the connection. Idempotent.
   */
  close(options: PublisherCloseOptions = {}): Promise<void> {
    const invalid = unknownOption('close()', options, PUBLISHER_CLOSE_OPTIONS);
    if (invalid) return Promise.reject(invalid);
    this.closing ??= this.shutdown(options.timeoutMs ?? this.options.timeoutMs);
    return this.closing;
  }

  private enqueue(
    exchange: string,
    routingKey: string,
    body: Buffer,
    contentType: string,
    options: RawPublishOptions | undefined,
  ): Promise<PublishResult> {
    const error = refusal(body.length, this.options, this.fatal, this.closing !== undefined);
    if (error) return Promise.reject(this.telemetry?.refused(exchange, routingKey, error) ?? error);
    const now = Date.now();
    // `delay`/`notBefore`: into the delay ladder (checked first: most publishes have no options, and get no object)
    const to = options && isScheduled(options) ? scheduleDestination(exchange, routingKey, options, now) : undefined;
    if (to instanceof InvalidDelayError) return Promise.reject(this.telemetry?.refused(exchange, routingKey, to) ?? to);
    const sent = to === undefined ? options : to.options;
    const messageId = sent?.messageId ?? newMessageId();
    const properties = toProperties(sent, contentType, messageId, now, this.options.mandatory);
    const deadline = now + (sent?.timeoutMs ?? this.options.timeoutMs);
    const toExchange = to?.exchange ?? exchange;
    const toKey = to?.routingKey ?? routingKey;
    return new Promise<PublishResult>((resolve, reject) => {
      const message = new Outbound(toExchange, toKey, body, properties, messageId, deadline, resolve, reject);
      this.telemetry?.start(message, this.slot.url);
      this.admit(message);
    });
  }

  private admit(message: Outbound): void {
    const admission = this.buffer.admit(message);
    if (admission === 'full') return this.buffer.fail(message, bufferFull(this.options, this.buffer));
    this.deadlines.watch(message.deadline);
    if (admission === 'held') this.pump();
  }

  /** Sends buffered messages while the channel is up, not blocked, not draining and the window has room. */
  private pump(): void {
    const channel = this.slot.channel;
    if (channel === undefined || this.isBlocked || this.draining) return;
    const pending = this.buffer.pending;
    const max = this.options.maxInFlight;
    while (this.window.size < max) {
      const message = pending.shift();
      if (message === undefined) return;
      if (!message.settled && !this.send(channel, message)) return;
    }
  }

  /** Publishes one message; false when the pump must stop (socket buffer full, or channel gone). */
  private send(channel: ConfirmChannelLike, message: Outbound): boolean {
    let ok: boolean;
    try {
      ok = channel.publish(message.exchange, message.routingKey, message.body, message.properties);
    } catch (error) {
      if ((error as Error | undefined)?.name !== 'IllegalOperationError') {
        this.buffer.fail(message, unencodable(error));
        return true;
      }
      // The channel is closing: keep the message for the next channel.
      this.buffer.pending.unshiftAll([message]);
      return false;
    }
    message.sentAt = Date.now();
    this.window.add(message);
    if (!ok) this.draining = true;
    return ok;
  }

  private readonly onAck = ({ deliveryTag, multiple }: { deliveryTag: number; multiple: boolean }): void => {
    this.window.confirm(deliveryTag, multiple, this.acked);
    this.pump();
  };

  private readonly onNack = ({ deliveryTag, multiple }: { deliveryTag: number; multiple: boolean }): void => {
    this.window.confirm(deliveryTag, multiple, this.nacked);
    this.pump();
  };

  private readonly acked = (message: Outbound): void => {
    if (message.returned === undefined) this.buffer.succeed(message);
    else this.buffer.fail(message, unroutable(message, message.returned));
  };

  /** A nack (e.g. a full queue with `reject-publish`): back off and retry within the message's deadline. */
  private readonly nacked = (message: Outbound): void => {
    if (message.settled) return;
    const retryAt = this.backoff.retryAt(message, Date.now());
    this.telemetry?.nacked(message, retryAt);
    if (retryAt === undefined) return this.buffer.fail(message, refused(message, this.options, this.slot));
    message.retryAt = retryAt;
    message.returned = undefined;
    this.deadlines.delay(message);
  };

  private readonly onReturn = (returned: Message): void => {
    const messageId = String(returned.properties.messageId);
    const message = this.window.find(messageId);
    const { replyCode, replyText, exchange, routingKey } = returned.fields as unknown as ReturnedMessage;
    if (message) message.returned = { replyCode, replyText };
    this.emit('returned', { messageId, exchange, routingKey, replyCode, replyText });
  };

  private readonly onDrain = (): void => {
    this.draining = false;
    this.pump();
  };

  private onChannelOpen(channel: ConfirmChannelLike): void {
    channel.on('ack', this.onAck);
    channel.on('nack', this.onNack);
    channel.on('return', this.onReturn);
    channel.on('drain', this.onDrain);
    this.window = new ConfirmWindow();
    this.draining = false;
    if (this.currentState !== 'connected' && this.currentState !== 'blocked') {
      this.currentState = this.isBlocked ? 'blocked' : 'connected';
      this.emit('connected', { url: this.slot.url });
    }
    this.pump();
  }

  /**
   * The channel closed: on a connection loss, or because the broker closed it over one message (404 missing
   * exchange, ...). The culprits fail; every other unconfirmed message goes back to the front of the buffer, in
   * order, to be re-sent with the same `messageId` (amqplib only says "channel closed" to them: issue #369).
   */
  private onChannelClose(error: unknown): void {
    if (error !== undefined) this.emit('channelClosed', { reason: describeError(error) });
    const culprit = culpritOf(error);
    const resend: Outbound[] = [];
    for (const message of this.window.drain()) {
      if (message.settled) continue;
      const failure = culprit?.(message);
      if (failure) this.buffer.fail(message, failure);
      else {
        message.returned = undefined;
        message.mayHaveArrived = true;
        this.telemetry?.resent(message);
        resend.push(message);
      }
    }
    if (resend.length > 0) this.buffer.pending.unshiftAll(resend);
  }

  private onDisconnect(error: unknown): void {
    this.isBlocked = false;
    if (this.slot.isClosed || this.fatal) return;
    this.currentState = 'disconnected';
    this.emit('disconnected', { reason: error === undefined ? 'connection closed' : describeError(error) });
  }

  private onBlocked(reason: string): void {
    if (!this.isBlocked) this.blockedSince = Date.now();
    this.isBlocked = true;
    if (this.currentState === 'connected') this.currentState = 'blocked';
    this.emit('blocked', { reason });
  }

  private onUnblocked(): void {
    this.isBlocked = false;
    if (this.currentState === 'blocked') this.currentState = 'connected';
    this.emit('unblocked');
    this.pump();
  }

  private onFatal(error: ConnectionConfigError): void {
    if (this.fatal || this.currentState === 'closed') return;
    this.fatal = error;
    this.currentState = 'failed';
    this.failAll(error);
    this.emit('failed', error);
  }

  /** Fails a message past its deadline (the deadline timer found it); `failures.ts` says with which error. */
  private expire(message: Outbound, inFlight: boolean): void {
    const blockedForMs = this.isBlocked ? Date.now() - this.blockedSince : undefined;
    this.buffer.fail(message, expired(message, inFlight, this.options, this.buffer, this.slot, blockedForMs));
  }

  private failAll(error: Error): void {
    failEverything(this.buffer, this.window, this.deadlines, error);
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    await Promise.all([this.buffer.idle || this.buffer.whenIdle(timeoutMs), this.requests.close(timeoutMs)]);
    this.failAll(new PublisherClosedError('PUBLISHER_CLOSED', 'The publisher closed before the broker confirmed.'));
    if (this.currentState !== 'failed') this.currentState = 'closed';
    this.deadlines.stop();
    this.telemetry?.close();
    await this.slot.close();
  }
}
