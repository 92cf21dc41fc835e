import {
  checkOptions,
  CONNECTION_OPTIONS,
  knownOptions,
  WarrenError,
  type ConnectionOptions,
  type LoggerLike,
} from '@warren/core';

/**
 * Options of `createPublisher()`. The connection options (`urls`, `name`, `heartbeatSeconds`, `reconnectSeconds`,
 * `noDelay`) are `@warren/core`'s `ConnectionOptions`; `reconnectSeconds` also sets the suggested `retryAfterMs` of
 * `PublishTimeoutError` and `BufferFullError` (at least 1 s). The numbers below and `reconnectSeconds` must be
 * positive: `createPublisher()` throws `INVALID_OPTION` otherwise.
 */
export interface PublisherOptions extends ConnectionOptions {
  /**
   * How long a publish may take, from the call to the broker's confirm (including waiting for a connection, for
   * `unblocked`, for buffer space and for nack retries) before it fails. Overridable per publish; also the default
   * wait of `close()`.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /**
   * At most this many messages sent on the channel and not yet confirmed (`basic.ack` / `basic.nack`); more wait in
   * the buffer for confirms.
   * @default 1000
   */
  readonly maxInFlight?: number;
  /**
   * Buffer limit in messages: every accepted publish not yet settled counts (buffered, in flight, or backing off
   * after a nack). Publishes waiting for space (`whenBufferFull: 'wait'`) do not.
   * @default 10000
   */
  readonly maxBufferMessages?: number;
  /**
   * Buffer limit in body bytes, counted like `maxBufferMessages`. A body bigger than this is still accepted when the
   * buffer is empty (`maxMessageBytes` bounds it).
   * @default 67108864 (64 MiB)
   */
  readonly maxBufferBytes?: number;
  /**
   * What a publish does when the buffer is full: `'reject'` fails it at once with `BufferFullError`; `'wait'` queues
   * it (in order) until there is room, and fails it with `BufferFullError` if its deadline comes first.
   * @default 'reject'
   */
  readonly whenBufferFull?: 'reject' | 'wait';
  /**
   * Largest body accepted, checked before anything is sent (`MessageTooLargeError`, `MESSAGE_TOO_LARGE`). Match it to
   * the broker's `max_message_size` (RabbitMQ 4 rejects more than 16 MiB by default, and closes the channel).
   * @default 16777216 (16 MiB)
   */
  readonly maxMessageBytes?: number;
  /**
   * Publish with AMQP's `mandatory` flag: a message no queue is bound for comes back (`basic.return`) and its publish
   * fails with `UnroutableError`. When false, the broker drops such a message and the publish still resolves.
   * Overridable per publish.
   * @default true
   */
  readonly mandatory?: boolean;
  /**
   * First back-off step after a broker nack (a full queue with `overflow: reject-publish`); it doubles with each
   * nack of the message, up to `backoffMaxMs`, and the actual delay is drawn in `[0, step)` (full jitter).
   * @default 100
   */
  readonly backoffInitialMs?: number;
  /**
   * Largest back-off step after a nack. Also the suggested `retryAfterMs` of `BlockedError` (at least 1 s).
   * @default 5000
   */
  readonly backoffMaxMs?: number;
  /**
   * Where the publisher logs its connection life and back-pressure transitions (README, "Logging"): pino or any
   * object with `debug`, `info`, `warn`, `error` (and `child`, used when present).
   * @default none: nothing is logged
   */
  readonly logger?: LoggerLike;
  /**
   * OpenTelemetry spans and metrics (README, "Tracing and metrics") when `@opentelemetry/api` is installed and an
   * SDK registered; `false` turns them off for this publisher.
   * @default true
   */
  readonly telemetry?: boolean;
}

/** @internal The keys of `PublisherOptions`: `createPublisher()` rejects any other with `INVALID_OPTION`. */
export const PUBLISHER_OPTIONS = knownOptions<PublisherOptions>({
  ...CONNECTION_OPTIONS,
  timeoutMs: true,
  maxInFlight: true,
  maxBufferMessages: true,
  maxBufferBytes: true,
  whenBufferFull: true,
  maxMessageBytes: true,
  mandatory: true,
  backoffInitialMs: true,
  backoffMaxMs: true,
  logger: true,
  telemetry: true,
});

/** Options of one publish. The message is always persistent (delivery mode 2) and carries a `timestamp`. */
export interface PublishOptions {
  /**
   * The AMQP `message-id` property: your id for the message, the key to deduplicate by downstream (a message may
   * arrive twice). A retry after a `PublishTimeoutError` should reuse it.
   * @default a random 128-bit id, 22 base64url characters
   */
  readonly messageId?: string;
  /**
   * Application headers (the AMQP `headers` table), at most 64 KiB encoded (`MessageTooLargeError`,
   * `HEADERS_TOO_LARGE`).
   * @default none
   */
  readonly headers?: Readonly<Record<string, unknown>>;
  /**
   * How long this publish may take until the broker's confirm (see the publisher's option).
   * @default the publisher's `timeoutMs` (10000 unless set)
   */
  readonly timeoutMs?: number;
  /**
   * AMQP `mandatory` for this message (see the publisher's option).
   * @default the publisher's `mandatory` (true unless set)
   */
  readonly mandatory?: boolean;
  /**
   * The AMQP `correlation-id` property, e.g. to match a reply to its request.
   * @default none
   */
  readonly correlationId?: string;
  /**
   * The AMQP `reply-to` property: the name of the queue a reply should go to.
   * @default none
   */
  readonly replyTo?: string;
  /**
   * The AMQP `type` property: the message's type name, for the consumer (the broker ignores it).
   * @default none
   */
  readonly type?: string;
  /**
   * The AMQP `app-id` property: the application that sent the message (not taken from the connection's `name`).
   * @default none
   */
  readonly appId?: string;
  /**
   * Per-message TTL in milliseconds (the AMQP `expiration` property): the broker drops the message, or dead-letters
   * it, once it has been in a queue that long. Avoid mixing TTLs in one queue: RabbitMQ expires a message only when
   * it reaches the head of the queue, so an expired message waits behind longer-lived ones.
   * @default none: only the queue's own TTL (`x-message-ttl`), if any, applies
   */
  readonly expiration?: number;
  /**
   * The AMQP `priority` property (0-255); it only matters to a queue declared with `x-max-priority`.
   * @default none: a priority queue treats the message as priority 0
   */
  readonly priority?: number;
  /**
   * Deliver no earlier than this long from now, through the delay ladder (README, "Scheduled delivery"): `'90s'`,
   * `'15m'`, `'2h'`, `'30d'`, `'500ms'` or a number of milliseconds, rounded up to whole seconds, at most
   * `MAX_DELAY_MS` (about 48.5 days; longer fails with `InvalidDelayError`, `INVALID_DELAY`). The exchange must be
   * scheduled in the topology (`scheduling: true`); 0 publishes at once. Not with `notBefore` or `expiration`.
   * @default none: delivered at once
   */
  readonly delay?: string | number;
  /**
   * Deliver no earlier than this moment, through the delay ladder (like `delay`); a past moment publishes at once.
   * @default none: delivered at once
   */
  readonly notBefore?: Date;
}

/** @internal The keys of `PublishOptions`: `publish()` rejects any other with `INVALID_OPTION`. */
export const PUBLISH_OPTIONS = knownOptions<PublishOptions>({
  messageId: true,
  headers: true,
  timeoutMs: true,
  mandatory: true,
  correlationId: true,
  replyTo: true,
  type: true,
  appId: true,
  expiration: true,
  priority: true,
  delay: true,
  notBefore: true,
});

/** Options of `publishRaw()`: a Buffer body is sent as is; any other body is encoded as JSON. */
export interface RawPublishOptions extends PublishOptions {
  /**
   * The AMQP `content-type` property. It only labels the body: a non-Buffer body is sent as JSON whatever it says.
   * @default 'application/json' for a non-Buffer body, 'application/octet-stream' for a Buffer
   */
  readonly contentType?: string;
  /**
   * The AMQP `content-encoding` property (e.g. `gzip` for a body you compressed; Warren does not compress).
   * @default none
   */
  readonly contentEncoding?: string;
}

/** @internal The keys of `RawPublishOptions`: `publishRaw()` rejects any other with `INVALID_OPTION`. */
export const RAW_PUBLISH_OPTIONS = knownOptions<RawPublishOptions>({
  ...PUBLISH_OPTIONS,
  contentType: true,
  contentEncoding: true,
});

/** Options of the publisher's `close()`. */
export interface PublisherCloseOptions {
  /**
   * How long to wait for the unconfirmed messages before failing them with `PublisherClosedError`.
   * @default the publisher's `timeoutMs` (10000 unless set)
   */
  readonly timeoutMs?: number;
}

/** @internal The keys of `PublisherCloseOptions`. */
export const PUBLISHER_CLOSE_OPTIONS = knownOptions<PublisherCloseOptions>({ timeoutMs: true });

/** @internal Every option defaulted, checked once at the edge. */
export interface ResolvedOptions {
  readonly timeoutMs: number;
  readonly maxInFlight: number;
  readonly maxBufferMessages: number;
  readonly maxBufferBytes: number;
  readonly whenBufferFull: 'reject' | 'wait';
  readonly maxMessageBytes: number;
  readonly mandatory: boolean;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly reconnectMs: number;
  readonly telemetry: boolean;
  /** The connection's `name`: the `warren.client.name` of the publisher's gauges. */
  readonly name: string | undefined;
}

/** @internal */
export function resolveOptions(options: PublisherOptions): ResolvedOptions {
  checkOptions('createPublisher()', options, PUBLISHER_OPTIONS);
  const resolved: ResolvedOptions = {
    timeoutMs: options.timeoutMs ?? 10_000,
    maxInFlight: options.maxInFlight ?? 1_000,
    maxBufferMessages: options.maxBufferMessages ?? 10_000,
    maxBufferBytes: options.maxBufferBytes ?? 64 * 1024 * 1024,
    whenBufferFull: options.whenBufferFull ?? 'reject',
    maxMessageBytes: options.maxMessageBytes ?? 16 * 1024 * 1024,
    mandatory: options.mandatory ?? true,
    backoffInitialMs: options.backoffInitialMs ?? 100,
    backoffMaxMs: options.backoffMaxMs ?? 5_000,
    reconnectMs: (options.reconnectSeconds ?? 1) * 1000,
    telemetry: options.telemetry !== false,
    name: options.name,
  };
  for (const [key, value] of Object.entries(resolved)) {
    if (typeof value === 'number' && !(Number.isFinite(value) && value > 0)) {
      throw new WarrenError('INVALID_OPTION', `Publisher option ${key} must be a positive number, got ${value}.`);
    }
  }
  if (resolved.whenBufferFull !== 'reject' && resolved.whenBufferFull !== 'wait') {
    throw new WarrenError('INVALID_OPTION', `Publisher option whenBufferFull must be 'reject' or 'wait'.`);
  }
  return resolved;
}
