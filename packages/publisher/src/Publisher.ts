import { EventEmitter } from 'node:events';
import type { Message, Options } from 'amqplib';
import {
  checkPayload,
  describeError,
  redactUrl,
  type ConnectionConfigError,
  type MessageContract,
  type PayloadOf,
  type WarrenError,
} from '@warren/core';
import { fullJitter, retryAfter } from './backoff';
import { culpritOf } from './channelErrors';
import { ConfirmWindow } from './ConfirmWindow';
import {
  BlockedError,
  BrokerBusyError,
  BufferFullError,
  MessageTooLargeError,
  PublisherClosedError,
  PublishTimeoutError,
  UnroutableError,
  ValidationError,
} from './errors';
import { Fifo } from './Fifo';
import { newMessageId } from './messageId';
import type { PublishOptions, RawPublishOptions, ResolvedOptions } from './options';
import { Outbound, type PublishResult } from './Outbound';

export type PublisherState = 'connecting' | 'connected' | 'disconnected' | 'blocked' | 'closed' | 'failed';

/** A message the broker could not route (`mandatory`); its publish fails with `UnroutableError`. */
export interface ReturnedMessage {
  readonly messageId: string;
  readonly exchange: string;
  readonly routingKey: string;
  readonly replyCode: number;
  readonly replyText: string;
}

/** The publisher's events (never `'error'`: failures reach the caller of `publish`). */
export interface PublisherEvents {
  connected: [{ url: string }];
  disconnected: [{ reason: string }];
  blocked: [{ reason: string }];
  unblocked: [];
  returned: [ReturnedMessage];
  /** The connection cannot succeed (wrong credentials, missing vhost); every publish fails with this error. */
  failed: [WarrenError];
}

/** @internal The part of an amqplib ConfirmChannel the publisher uses: the seam unit tests fake. */
export interface ConfirmChannelLike extends EventEmitter {
  publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): boolean;
  close(): Promise<void>;
}

/** @internal The part of an amqplib connection (ChannelModel) the publisher uses. */
export interface ChannelModelLike {
  createConfirmChannel(): Promise<ConfirmChannelLike>;
}

/** @internal The part of amqp-connection-manager the publisher uses (events `connect`, `disconnect`, ...). */
export interface ConnectionManagerLike extends EventEmitter {
  close(): Promise<void>;
}

/** @internal Opens the connection; calls `onFatal` once when it cannot succeed. */
export type Connect = (onFatal: (error: ConnectionConfigError) => void) => ConnectionManagerLike;

const JSON_TYPE = 'application/json';
const BINARY_TYPE = 'application/octet-stream';
const noop = (): void => undefined;
/**
 * A nacked message is sent again only if the broker can answer that copy before the deadline; otherwise it fails
 * now. So `BrokerBusyError` means "not accepted": no copy of the message is still on its way.
 */
const ANSWER_MARGIN_MS = 100;

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
 * | disconnected / connecting                      | buffers, sends on connect                                      | after the deadline: `PublishTimeoutError` |
 * | broker nack (queue full, `reject-publish`)     | retries, exponential back-off with full jitter                 | when the budget is spent: `BrokerBusyError` (BROKER_BUSY); `PublishTimeoutError` if a copy may have arrived |
 * | `connection.blocked` (memory/disk alarm)       | holds messages until `unblocked`                               | after the deadline: `BlockedError` (BROKER_BLOCKED) |
 * | `basic.return` (no route, `mandatory`)         | fails the message                                              | `UnroutableError` (UNROUTABLE, 312)      |
 * | channel closed: exchange missing (404)         | fails the messages for that exchange, re-sends the others      | `ExchangeNotFoundError` (EXCHANGE_NOT_FOUND) |
 * | channel closed: 403 on the exchange / 406 size | fails the culprit, re-sends the others                         | `ConnectionConfigError` (ACCESS_REFUSED) / `MessageTooLargeError` |
 * | wrong credentials (403) / missing vhost        | stops reconnecting, fails everything, state `failed`           | `ConnectionConfigError` (ACCESS_REFUSED / VHOST_NOT_FOUND) |
 * | `close()` called                               | waits for confirms up to its deadline, then fails the rest     | `PublisherClosedError` (PUBLISHER_CLOSED) |
 *
 * The back-pressure errors (`BrokerBusyError`, `BufferFullError`, `BlockedError`, `PublishTimeoutError`) extend
 * `BackPressureError` and carry `retryAfterMs`. A `PublishTimeoutError` for a message that had been sent is
 * indeterminate: it may still arrive (at-least-once; deduplicate by `messageId`).
 *
 * @example
 * const publisher = createPublisher({ urls: process.env.AMQP_URL!, name: 'orders-api' });
 * await publisher.publish(OrderCreated, { orderId: '42', total: 10 });
 * await publisher.close();
 */
export class Publisher extends EventEmitter<PublisherEvents> {
  private readonly manager: ConnectionManagerLike;
  /** Accepted, not yet sent (or sent and to be re-sent). */
  private pending = new Fifo<Outbound>();
  private window = new ConfirmWindow();
  /** Nacked, waiting for their back-off to pass. */
  private delayed: Outbound[] = [];
  /** Not accepted yet: waiting for buffer space (`whenBufferFull: 'wait'`). */
  private readonly waiting = new Fifo<Outbound>();
  private heldMessages = 0;
  private heldBytes = 0;
  private connection: ChannelModelLike | undefined;
  private channel: ConfirmChannelLike | undefined;
  private url = '';
  private draining = false;
  private isBlocked = false;
  private currentState: PublisherState = 'connecting';
  private fatal: WarrenError | undefined;
  private lastConnectError = '';
  private closing: Promise<void> | undefined;
  /** Set once `close()` has drained: nothing more is sent. */
  private closed = false;
  private onIdle: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  /** No deadline or retry is due before this time: the sweep can skip the scan. */
  private earliest = Infinity;

  /** @internal Use `createPublisher()`. */
  constructor(
    private readonly options: ResolvedOptions,
    connect: Connect,
  ) {
    super();
    this.manager = connect((error) => this.onFatal(error));
    this.manager.on('connect', ({ connection, url }: { connection: ChannelModelLike; url: unknown }) =>
      this.onConnect(connection, url),
    );
    this.manager.on('disconnect', ({ err }: { err?: unknown }) => this.onDisconnect(err));
    this.manager.on('connectFailed', ({ err }: { err?: unknown }) => (this.lastConnectError = describeError(err)));
    this.manager.on('blocked', ({ reason }: { reason?: string }) => this.onBlocked(reason ?? 'unknown'));
    this.manager.on('unblocked', () => this.onUnblocked());
  }

  /** `connecting` → `connected` ⇄ `disconnected` / `blocked`; `closed` after `close()`, `failed` on a fatal error. */
  get state(): PublisherState {
    return this.currentState;
  }

  /** What the publisher holds: accepted messages not yet confirmed (buffered, in flight or backing off). */
  get bufferSize(): { messages: number; bytes: number } {
    return { messages: this.heldMessages, bytes: this.heldBytes };
  }

  /**
   * Validates `payload` against the contract's schema, sends it as JSON to the contract's exchange and routing
   * key, and resolves when the broker confirms it.
   */
  publish<C extends MessageContract>(
    contract: C,
    payload: PayloadOf<C>,
    options?: PublishOptions,
  ): Promise<PublishResult> {
    const checked = checkPayload(contract.schema, payload);
    if (!checked.ok) {
      const where = `${contract.exchange || '(default exchange)'} / ${contract.routingKey}`;
      const message = `Payload for ${where} does not match its contract: ${checked.summary}`;
      return Promise.reject(new ValidationError(message, checked.issues));
    }
    return this.publishRaw(contract.exchange, contract.routingKey, payload, options);
  }

  /**
   * Sends a message without a contract. A Buffer is sent as is; anything else is sent as JSON. Resolves when the
   * broker confirms it.
   */
  publishRaw(exchange: string, routingKey: string, body: unknown, options?: RawPublishOptions): Promise<PublishResult> {
    let content: Buffer;
    try {
      content = Buffer.isBuffer(body) ? body : encodeJson(body);
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
  close(options: { timeoutMs?: number } = {}): Promise<void> {
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
    const refusal = this.refusal(body);
    if (refusal) return Promise.reject(refusal);
    const now = Date.now();
    const messageId = options?.messageId ?? newMessageId();
    const properties = toProperties(options, contentType, messageId, now, this.options.mandatory);
    const deadline = now + (options?.timeoutMs ?? this.options.timeoutMs);
    return new Promise<PublishResult>((resolve, reject) => {
      this.admit(new Outbound(exchange, routingKey, body, properties, messageId, deadline, resolve, reject));
    });
  }

  /** Why a message cannot even be accepted, if it cannot. */
  private refusal(body: Buffer): WarrenError | undefined {
    if (this.fatal) return this.fatal;
    if (this.closing) return new PublisherClosedError('PUBLISHER_CLOSED', 'The publisher is closed.');
    if (body.length <= this.options.maxMessageBytes) return undefined;
    return new MessageTooLargeError(
      'MESSAGE_TOO_LARGE',
      `The message is ${body.length} bytes, over the ${this.options.maxMessageBytes}-byte limit (maxMessageBytes; ` +
        `RabbitMQ 4 refuses more than 16 MiB by default). Store large payloads elsewhere and send a reference.`,
    );
  }

  private admit(message: Outbound): void {
    if (this.waiting.length === 0 && this.hasRoom(message.body.length)) {
      this.hold(message);
      this.pending.push(message);
      this.watch(message.deadline);
      this.pump();
    } else if (this.options.whenBufferFull === 'wait') {
      this.waiting.push(message);
      this.watch(message.deadline);
    } else {
      message.settled = true;
      message.reject(this.bufferFull());
    }
  }

  private hasRoom(bytes: number): boolean {
    const { maxBufferMessages, maxBufferBytes } = this.options;
    return this.heldMessages < maxBufferMessages && (this.heldBytes + bytes <= maxBufferBytes || this.heldBytes === 0);
  }

  private hold(message: Outbound): void {
    message.held = true;
    this.heldMessages++;
    this.heldBytes += message.body.length;
  }

  /** Sends buffered messages while the channel is up, not blocked, not draining and the window has room. */
  private pump(): void {
    const channel = this.channel;
    if (channel === undefined || this.isBlocked || this.draining) return;
    const max = this.options.maxInFlight;
    while (this.window.size < max) {
      const message = this.pending.shift();
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
        this.fail(message, unencodable(error));
        return true;
      }
      // The channel is closing: keep the message for the next channel.
      this.pending.unshiftAll([message]);
      return false;
    }
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
    if (message.returned === undefined) return this.succeed(message);
    const { replyCode, replyText } = message.returned;
    const where = `exchange '${message.exchange}' with routing key '${message.routingKey}'`;
    this.fail(
      message,
      new UnroutableError(
        'UNROUTABLE',
        `No queue is bound to ${where} (${replyCode} ${replyText}): the message was dropped. Declare the binding ` +
          `(warren apply) or fix the routing key.`,
        { replyCode },
      ),
    );
  };

  /** A nack (e.g. a full queue with `reject-publish`): back off and retry within the message's deadline. */
  private readonly nacked = (message: Outbound): void => {
    if (message.settled) return;
    const { backoffInitialMs, backoffMaxMs } = this.options;
    const now = Date.now();
    const delay = fullJitter(message.nacks, backoffInitialMs, backoffMaxMs);
    message.nacks++;
    if (now + delay + ANSWER_MARGIN_MS >= message.deadline) return this.fail(message, this.refused(message));
    message.retryAt = now + delay;
    message.returned = undefined;
    this.delayed.push(message);
    this.watch(message.retryAt);
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

  private onConnect(connection: ChannelModelLike, url: unknown): void {
    this.connection = connection;
    this.url = redactUrl(typeof url === 'string' ? url : String((url as { hostname?: string })?.hostname ?? ''));
    this.openChannel(connection);
  }

  private openChannel(connection: ChannelModelLike): void {
    connection.createConfirmChannel().then(
      (channel) => this.onChannelOpen(connection, channel),
      () => this.reopenLater(connection, this.options.reconnectMs),
    );
  }

  private onChannelOpen(connection: ChannelModelLike, channel: ConfirmChannelLike): void {
    let lastError: unknown;
    channel.on('error', (error: unknown) => (lastError = error));
    if (this.connection !== connection || this.channel !== undefined || this.closed || this.fatal) {
      channel.close().catch(noop);
      return;
    }
    const openedAt = Date.now();
    channel.on('close', () => this.onChannelClose(channel, lastError, openedAt));
    channel.on('ack', this.onAck);
    channel.on('nack', this.onNack);
    channel.on('return', this.onReturn);
    channel.on('drain', this.onDrain);
    this.channel = channel;
    this.window = new ConfirmWindow();
    this.draining = false;
    if (this.currentState !== 'connected' && this.currentState !== 'blocked') {
      this.currentState = this.isBlocked ? 'blocked' : 'connected';
      this.emit('connected', { url: this.url });
    }
    this.pump();
  }

  /**
   * The channel closed: on a connection loss, or because the broker closed it over one message (404 missing
   * exchange, ...). The culprits fail; every other unconfirmed message goes back to the front of the buffer, in
   * order, to be re-sent with the same `messageId` (amqplib only says "channel closed" to them: issue #369).
   */
  private onChannelClose(channel: ConfirmChannelLike, error: unknown, openedAt: number): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    const culprit = culpritOf(error);
    const resend: Outbound[] = [];
    for (const message of this.window.drain()) {
      if (message.settled) continue;
      const failure = culprit?.(message);
      if (failure) this.fail(message, failure);
      else {
        message.returned = undefined;
        message.mayHaveArrived = true;
        resend.push(message);
      }
    }
    if (resend.length > 0) this.pending.unshiftAll(resend);
    // A connection loss reconnects through the manager; a channel error leaves the connection up: reopen on it,
    // slowly if channels keep dying young, so a poisonous message cannot spin the CPU until its deadline.
    const connection = this.connection;
    if (error !== undefined && connection) this.reopenLater(connection, Date.now() - openedAt < 1_000 ? 100 : 0);
  }

  private reopenLater(connection: ChannelModelLike, delayMs: number): void {
    const timer = setTimeout(() => {
      if (this.connection === connection && this.channel === undefined && !this.closed) this.openChannel(connection);
    }, delayMs);
    timer.unref();
  }

  private onDisconnect(error: unknown): void {
    this.connection = undefined;
    this.isBlocked = false;
    if (this.closed || this.fatal) return;
    this.currentState = 'disconnected';
    this.emit('disconnected', { reason: error === undefined ? 'connection closed' : describeError(error) });
  }

  private onBlocked(reason: string): void {
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

  private succeed(message: Outbound): void {
    if (message.settled) return;
    message.settled = true;
    this.release(message);
    message.resolve({ messageId: message.messageId });
  }

  private fail(message: Outbound, error: Error): void {
    if (message.settled) return;
    message.settled = true;
    this.release(message);
    message.reject(error);
  }

  /** Frees the message's place in the buffer and lets waiting publishes in. */
  private release(message: Outbound): void {
    if (!message.held) return;
    message.held = false;
    this.heldMessages--;
    this.heldBytes -= message.body.length;
    while (this.waiting.length > 0) {
      const next = this.waiting.peek() as Outbound;
      if (!next.settled && !this.hasRoom(next.body.length)) break;
      this.waiting.shift();
      if (next.settled) continue;
      this.hold(next);
      this.pending.push(next);
    }
    if (this.heldMessages === 0 && this.waiting.length === 0) this.onIdle?.();
  }

  /** Makes sure the sweep runs by `time` (a deadline or the end of a back-off). */
  private watch(time: number): void {
    if (time < this.earliest) this.earliest = time;
    if (time >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = time;
    // Unref'd: the connection (or its reconnect timer) is what keeps a process alive, not a pending deadline.
    this.timer = setTimeout(this.sweep, Math.max(0, time - Date.now())).unref();
  }

  /** Moves due retries back to the buffer and fails the messages whose deadline has passed. */
  private readonly sweep = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    if (now < this.earliest) return this.watch(this.earliest);
    this.earliest = Infinity;
    const delayed = this.delayed;
    this.delayed = [];
    for (const message of delayed) {
      if (message.settled) continue;
      if (message.deadline <= now) this.fail(message, this.refused(message));
      else if (message.retryAt <= now) this.pending.push(message);
      else this.keep(message, message.retryAt, this.delayed);
    }
    this.pending.filter((message) => this.alive(message, now, false));
    this.waiting.filter((message) => this.alive(message, now, false));
    this.window.forEach((message) => this.alive(message, now, true));
    this.pump();
  };

  /**
   * Fails a message past its deadline; otherwise re-arms the sweep for it. A message sent and not yet answered
   * (`inFlight`) may still arrive, whatever happened to its earlier copies: that is a timeout, not a refusal.
   */
  private alive(message: Outbound, now: number, inFlight: boolean): boolean {
    if (message.settled) return false;
    if (message.deadline > now) return this.keep(message, message.deadline);
    if (!message.held) this.fail(message, this.bufferFull());
    else if (inFlight) this.fail(message, this.isBlocked ? this.blocked(message) : this.timedOut(message));
    else if (message.nacks > 0) this.fail(message, this.refused(message));
    else if (this.isBlocked) this.fail(message, this.blocked(message));
    else this.fail(message, this.timedOut(message));
    return false;
  }

  private keep(message: Outbound, time: number, into?: Outbound[]): true {
    into?.push(message);
    this.watch(Math.min(time, message.deadline));
    return true;
  }

  /** The broker nacked the message until its deadline: a refusal, unless a copy lost with a channel may be in. */
  private refused(message: Outbound): BrokerBusyError | PublishTimeoutError {
    return message.mayHaveArrived ? this.timedOut(message) : this.busy(message);
  }

  private busy(message: Outbound): BrokerBusyError {
    const { backoffInitialMs, backoffMaxMs } = this.options;
    return new BrokerBusyError(
      'BROKER_BUSY',
      `The broker refused the message ${message.nacks} time(s) (nack: a full queue with overflow reject-publish?) ` +
        `until its deadline. Retry later.`,
      retryAfter(message.nacks, backoffInitialMs, backoffMaxMs),
    );
  }

  private blocked(message: Outbound): BlockedError {
    return new BlockedError(
      'BROKER_BLOCKED',
      `The broker blocked publishing (memory or disk alarm) and did not unblock before the message's deadline ` +
        `(${message.messageId}). If it was already sent it may still arrive: retry later with the same messageId.`,
      Math.max(1_000, this.options.backoffMaxMs),
    );
  }

  private timedOut(message: Outbound): PublishTimeoutError {
    const why = this.channel
      ? 'the broker did not confirm it in time'
      : `not connected${this.lastConnectError ? ` (last error: ${this.lastConnectError})` : ''}`;
    return new PublishTimeoutError(
      'PUBLISH_TIMEOUT',
      `Message ${message.messageId} was not confirmed before its deadline: ${why}. If it was sent it may still ` +
        `arrive; retry with the same messageId.`,
      Math.max(1_000, this.options.reconnectMs),
    );
  }

  private bufferFull(): BufferFullError {
    const { maxBufferMessages, maxBufferBytes } = this.options;
    return new BufferFullError(
      'BUFFER_FULL',
      `The publisher's buffer is full (${this.heldMessages}/${maxBufferMessages} messages, ${this.heldBytes}/` +
        `${maxBufferBytes} bytes): the broker is down, blocked or slower than the publishing rate. Retry later.`,
      Math.max(1_000, this.options.reconnectMs),
    );
  }

  private failAll(error: Error): void {
    for (const message of this.pending.drain()) if (message) this.fail(message, error);
    for (const message of this.window.drain()) this.fail(message, error);
    for (const message of this.delayed.splice(0)) this.fail(message, error);
    for (const message of this.waiting.drain()) if (message) this.fail(message, error);
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    if (this.heldMessages > 0 || this.waiting.length > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.closed = true;
    this.failAll(new PublisherClosedError('PUBLISHER_CLOSED', 'The publisher closed before the broker confirmed.'));
    if (this.currentState !== 'failed') this.currentState = 'closed';
    if (this.timer) clearTimeout(this.timer);
    const channel = this.channel;
    this.channel = undefined;
    this.connection = undefined;
    await channel?.close().catch(noop);
    await this.manager.close().catch(noop);
  }
}

function encodeJson(body: unknown): Buffer {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch (cause) {
    throw new ValidationError(`The message cannot be encoded as JSON: ${describeError(cause)}`, [], { cause });
  }
  if (text === undefined) throw new ValidationError('The message cannot be encoded as JSON (undefined).', []);
  return Buffer.from(text);
}

function toProperties(
  options: RawPublishOptions | undefined,
  contentType: string,
  messageId: string,
  now: number,
  mandatory: boolean,
): Options.Publish {
  if (options === undefined) {
    return { mandatory, persistent: true, contentType, messageId, timestamp: Math.floor(now / 1000) };
  }
  return {
    mandatory: options.mandatory ?? mandatory,
    persistent: true,
    contentType,
    contentEncoding: options.contentEncoding,
    messageId,
    timestamp: Math.floor(now / 1000),
    headers: options.headers,
    correlationId: options.correlationId,
    replyTo: options.replyTo,
    type: options.type,
    appId: options.appId,
    expiration: options.expiration,
    priority: options.priority,
  };
}

/** amqplib refused to encode the message (it throws before writing anything, so the channel is still fine). */
function unencodable(cause: unknown): WarrenError {
  const text = describeError(cause);
  if (cause instanceof RangeError && /field table/i.test(text)) {
    return new MessageTooLargeError(
      'HEADERS_TOO_LARGE',
      `The message's headers do not fit in an AMQP frame (64 KiB encoded): ${text}. Move the data to the body.`,
      { cause },
    );
  }
  return new ValidationError(`amqplib cannot encode the message (fix its properties): ${text}`, [], { cause });
}
