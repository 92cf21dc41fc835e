import type { Message, Options } from 'amqplib';
import type { OtelSpan } from '@warren/core';
import type { z } from 'zod';
import {
  codecOf,
  describeError,
  InvalidDelayError,
  knownOptions,
  unknownOption,
  REPLY,
  type ConnectionConfigError,
  type MessageContract,
  type PayloadOf,
  type ReplyOf,
  type WarrenError,
} from '@warren/core';
import { culpritOf } from './channelErrors';
import { ChannelSlot, type ConfirmChannelLike, type Connect } from './ChannelSlot';
import { decodeReply } from './decodeReply';
import { encodeOrError, toProperties, unencodable } from './encoding';
import { BrokerBusyError, BufferFullError, PublisherClosedError } from './errors';
import { refusal, unroutable } from './failures';
import { newMessageId } from './messageId';
import type { ResolvedOptions } from './options';
import { ReplyChannelLostError, RequestTimeoutError } from './requestErrors';
import { createRequestTelemetry } from './requestTelemetry';
import { scheduleDestination, type Destination } from './schedule';

/** Options of one `publisher.request()`. */
export interface RequestOptions {
  /**
   * How long to wait for the reply, from the call: waiting for the connection, the broker's confirm, the worker, and
   * the worker's retry tiers (a failed attempt that will be retried sends nothing back). Then `RequestTimeoutError`.
   * @default the publisher's `timeoutMs` (10000 unless set)
   */
  readonly timeoutMs?: number;
  /**
   * Aborting it fails the request at once with the signal's `reason`, as `fetch` does. A request already sent may
   * still be worked on; its reply is then dropped (`lateReply`).
   * @default none
   */
  readonly signal?: AbortSignal;
  /**
   * The request's AMQP `message-id`, the key a worker deduplicates by.
   * @default a random 128-bit id
   */
  readonly messageId?: string;
  /**
   * Application headers, at most 64 KiB encoded.
   * @default none
   */
  readonly headers?: Readonly<Record<string, unknown>>;
  /**
   * Deliver the request no earlier than this long from now, through the delay ladder (as `publish`'s `delay`); the
   * timeout counts from the call, so give `timeoutMs` room for the delay.
   * @default none: delivered at once
   */
  readonly delay?: string | number;
  /**
   * Deliver the request no earlier than this moment, through the delay ladder (as `publish`'s `notBefore`).
   * @default none: delivered at once
   */
  readonly notBefore?: Date;
}

/** @internal The keys of `RequestOptions`: `request()` rejects any other with `INVALID_OPTION`. */
export const REQUEST_OPTIONS = knownOptions<RequestOptions>({
  timeoutMs: true,
  signal: true,
  messageId: true,
  headers: true,
  delay: true,
  notBefore: true,
});

/** The `lateReply` event: a reply came for a request nobody waits for any more (timed out, aborted, failed). */
export interface LateReplyEvent {
  readonly correlationId: string;
  /** Late replies dropped since the publisher was created. */
  readonly total: number;
}

/** @internal The request channel: a confirm channel that also consumes direct reply-to. */
interface RequestChannel extends ConfirmChannelLike {
  publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
    callback?: (error: unknown) => void,
  ): boolean;
  consume(queue: string, onMessage: (message: Message | null) => void, options: Options.Consume): Promise<unknown>;
}

/** @internal One request waiting for its reply. */
class PendingRequest {
  /** The channel it was published on; undefined until then (it waits for a ready channel). */
  channel: RequestChannel | undefined = undefined;
  /** The broker confirmed the publish: the request is in a queue. */
  confirmed = false;
  timer: NodeJS.Timeout | undefined = undefined;
  stopWatching: (() => void) | undefined = undefined;
  span: OtelSpan | undefined = undefined;

  constructor(
    readonly correlationId: string,
    readonly exchange: string,
    readonly routingKey: string,
    readonly body: Buffer,
    readonly properties: Options.Publish,
    readonly schema: z.ZodType | undefined,
    readonly resolve: (value: unknown) => void,
    readonly reject: (error: unknown) => void,
  ) {}
}

/**
 * @internal `publisher.request()`: request/reply over RabbitMQ's direct reply-to. It has a connection and a confirm
 * channel of its own, opened on the first request: the channel consumes `amq.rabbitmq.reply-to` (no-ack, as the
 * broker requires) before any request is published on it, and every request goes out on it with `mandatory`, a
 * `correlationId` and `replyTo: amq.rabbitmq.reply-to` (the broker rewrites it to this channel's address). Many
 * requests are in flight at once; replies are matched by `correlationId`.
 *
 * | What happens                                     | The request                                                   |
 * | ------------------------------------------------ | ------------------------------------------------------------- |
 * | the reply arrives                                | resolves with it, checked by the contract's `reply` schema    |
 * | the worker gives up (non-retryable, tiers spent) | `RemoteError` (REMOTE_ERROR) with the worker's code            |
 * | no queue bound (`basic.return`)                  | `UnroutableError` (UNROUTABLE) at once                         |
 * | broker nack (a full queue)                       | `BrokerBusyError` (BROKER_BUSY) at once: a request is not retried |
 * | the channel or connection closes after the send  | `ReplyChannelLostError` (REPLY_CHANNEL_LOST) at once: the reply can no longer arrive |
 * | not connected yet                                | waits for the channel, up to its deadline                     |
 * | no reply by the deadline                         | `RequestTimeoutError` (REQUEST_TIMEOUT); a late reply is dropped and counted (`lateReply`) |
 *
 * A request is never re-sent by the publisher (unlike a publish): a second copy would be a second request.
 */
export class Requester {
  private slot: ChannelSlot | undefined;
  /** The channel requests go out on, once its reply consumer is in place. */
  private ready: RequestChannel | undefined;
  /** Every request not settled yet, by correlation id. */
  private readonly pending = new Map<string, PendingRequest>();
  private fatal: WarrenError | undefined;
  private closed = false;
  private lateReplies = 0;
  private whenEmpty: (() => void) | undefined;
  private readonly telemetry;

  /** Called for every late reply (the publisher emits `lateReply`). */
  onLateReply: (event: LateReplyEvent) => void = () => undefined;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly connect: Connect,
  ) {
    this.telemetry = createRequestTelemetry(options);
  }

  request<C extends MessageContract>(
    contract: C,
    payload: PayloadOf<C>,
    options: RequestOptions = {},
  ): Promise<ReplyOf<C>> {
    const body = unknownOption('request()', options, REQUEST_OPTIONS) ?? encodeOrError(contract, payload);
    if (!Buffer.isBuffer(body)) return Promise.reject(body);
    if (options.signal?.aborted) return Promise.reject(options.signal.reason as Error);
    const refused = refusal(body.length, this.options, this.fatal, this.closed) ?? this.full();
    if (refused) return Promise.reject(refused);
    const to = scheduleDestination(contract.exchange, contract.routingKey, options, Date.now());
    if (to instanceof InvalidDelayError) return Promise.reject(to);
    return new Promise((resolve, reject) => this.start(contract, to, body, options, resolve, reject));
  }

  /**
   * Takes no new requests, waits up to `timeoutMs` for the replies still expected, fails the rest with
   * `PublisherClosedError` and closes the connection. Idempotent.
   */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    if (this.pending.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.whenEmpty = resolve;
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
    }
    const closed = new PublisherClosedError('PUBLISHER_CLOSED', 'The publisher closed before the reply arrived.');
    for (const request of [...this.pending.values()]) this.fail(request, closed);
    await this.slot?.close();
  }

  private start(
    contract: MessageContract,
    to: Destination,
    body: Buffer,
    options: RequestOptions,
    resolve: (value: never) => void,
    reject: (error: unknown) => void,
  ): void {
    const correlationId = newMessageId();
    const contentType = codecOf(contract).contentType;
    const base = toProperties(to.options, contentType, options.messageId ?? newMessageId(), Date.now(), true);
    const properties = { ...base, correlationId, replyTo: REPLY.directReplyTo };
    const { exchange, routingKey } = to;
    const request = new PendingRequest(
      correlationId,
      exchange,
      routingKey,
      body,
      properties,
      contract.reply,
      resolve as (value: unknown) => void,
      reject,
    );
    request.span = this.telemetry?.start(exchange, routingKey, properties);
    this.pending.set(correlationId, request);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    request.timer = setTimeout(() => this.fail(request, this.timedOut(request, timeoutMs)), timeoutMs);
    const signal = options.signal;
    if (signal) {
      const onAbort = (): void => this.fail(request, signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      request.stopWatching = () => signal.removeEventListener('abort', onAbort);
    }
    this.slot ??= this.openSlot();
    if (this.ready) this.send(this.ready, request);
  }

  private openSlot(): ChannelSlot {
    return new ChannelSlot(this.connect, this.options.reconnectMs, {
      opened: (channel) => this.onOpened(channel as RequestChannel),
      closed: (error) => this.onClosed(error),
      disconnected: () => undefined,
      connectFailed: () => undefined, // the publisher's own slot reports connect failures
      blocked: () => undefined, // requests wait (and time out) like publishes; nothing to do here
      unblocked: () => undefined,
      fatal: (error) => this.onFatal(error),
    });
  }

  /** The reply consumer first: a request published before it is in place would have nowhere to reply to. */
  private onOpened(channel: RequestChannel): void {
    channel.on('return', this.onReturn);
    channel.consume(REPLY.directReplyTo, this.onReply, { noAck: true }).then(
      () => {
        if (this.slot?.channel !== channel) return;
        this.ready = channel;
        for (const request of this.pending.values()) if (request.channel === undefined) this.send(channel, request);
      },
      () => undefined, // the broker closes the channel; the slot opens another
    );
  }

  /** The channel is gone, and with it the address every request sent on it was to be answered at. */
  private onClosed(error: unknown): void {
    this.ready = undefined;
    const culprit = culpritOf(error);
    const why = error === undefined ? 'the connection was lost' : describeError(error);
    for (const request of [...this.pending.values()]) {
      if (request.channel === undefined) continue; // never sent: it goes out on the next channel
      const lost = new ReplyChannelLostError(
        'REPLY_CHANNEL_LOST',
        `The channel of the request to ${where(request)} closed (${why}): its reply can no longer arrive. The ` +
          `worker may have done the work; retry the request if it is safe to repeat.`,
        { cause: error },
      );
      this.fail(request, culprit?.(request) ?? lost);
    }
  }

  private onFatal(error: ConnectionConfigError): void {
    this.fatal = error;
    for (const request of [...this.pending.values()]) this.fail(request, error);
  }

  private send(channel: RequestChannel, request: PendingRequest): void {
    request.channel = channel;
    const { exchange, routingKey, body, properties } = request;
    try {
      channel.publish(exchange, routingKey, body, properties, (error) => this.onConfirm(request, error));
    } catch (error) {
      if ((error as Error | undefined)?.name === 'IllegalOperationError') request.channel = undefined;
      else this.fail(request, unencodable(error));
    }
  }

  private onConfirm(request: PendingRequest, error: unknown): void {
    if (error === null || error === undefined) request.confirmed = true;
    // 'channel closed' is settled by onClosed; a nack means the broker refused the request (a full queue).
    else if (describeError(error) === 'message nacked') {
      const message =
        `The broker refused the request to ${where(request)} (nack: a full queue with overflow ` +
        `reject-publish?). Retry later.`;
      this.fail(request, new BrokerBusyError('BROKER_BUSY', message, Math.max(1_000, this.options.backoffMaxMs)));
    }
  }

  private readonly onReturn = (message: Message): void => {
    const request = this.pending.get(String(message.properties.correlationId));
    const { replyCode, replyText } = message.fields as unknown as { replyCode: number; replyText: string };
    if (request) this.fail(request, unroutable(request, { replyCode, replyText }));
  };

  private readonly onReply = (message: Message | null): void => {
    if (message === null) return; // a broker cancel: the channel is closing
    const correlationId = String(message.properties.correlationId);
    const request = this.pending.get(correlationId);
    if (request === undefined) {
      this.lateReplies++;
      this.onLateReply({ correlationId, total: this.lateReplies });
      return;
    }
    this.telemetry?.replied(request.span, message.properties.headers);
    const outcome = decodeReply(message, request.schema);
    if (outcome.ok) {
      this.finish(request);
      request.resolve(outcome.value);
    } else this.fail(request, outcome.error);
  };

  private fail(request: PendingRequest, error: unknown): void {
    if (!this.pending.has(request.correlationId)) return;
    this.telemetry?.failed(request.span, error);
    this.finish(request);
    request.reject(error);
  }

  private finish(request: PendingRequest): void {
    this.pending.delete(request.correlationId);
    clearTimeout(request.timer);
    request.stopWatching?.();
    request.span?.end();
    if (this.pending.size === 0) this.whenEmpty?.();
  }

  private full(): BufferFullError | undefined {
    const max = this.options.maxBufferMessages;
    if (this.pending.size < max) return undefined;
    return new BufferFullError(
      'BUFFER_FULL',
      `${this.pending.size} requests are already waiting for their replies (maxBufferMessages ${max}): the ` +
        `workers are slower than the request rate, or down. Retry later.`,
      Math.max(1_000, this.options.reconnectMs),
    );
  }

  private timedOut(request: PendingRequest, timeoutMs: number): RequestTimeoutError {
    const why = request.confirmed
      ? 'the broker took it, but no worker answered (slow, down, or its retry tiers are still pending)'
      : request.channel !== undefined
        ? 'the broker did not confirm it'
        : `not connected${this.slot?.lastConnectError ? ` (last error: ${this.slot.lastConnectError})` : ''}`;
    return new RequestTimeoutError(
      'REQUEST_TIMEOUT',
      `No reply to the request to ${where(request)} within ${timeoutMs} ms: ${why}. A reply that comes later is ` +
        `dropped.`,
    );
  }
}

function where(request: PendingRequest): string {
  return `exchange '${request.exchange || '(default)'}' with routing key '${request.routingKey}'`;
}
