import { WarrenError, type ConnectionOptions } from '@warren/core';

/** Options of `createPublisher()`. Connection options (`urls`, `name`, heartbeat, `noDelay`) come from topology. */
export interface PublisherOptions extends ConnectionOptions {
  /**
   * How long a publish may take, from the call to the broker's confirm (including waiting for a connection, for
   * `unblocked`, for buffer space and for nack retries) before it fails. Overridable per publish.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /** At most this many unconfirmed messages on the channel; more wait in the buffer for confirms. @default 1000 */
  readonly maxInFlight?: number;
  /** Buffer limit in messages (waiting + unconfirmed). @default 10000 */
  readonly maxBufferMessages?: number;
  /** Buffer limit in body bytes (waiting + unconfirmed). @default 67108864 (64 MiB) */
  readonly maxBufferBytes?: number;
  /** What a publish does when the buffer is full: fail at once with `BufferFullError`, or wait for space up to its deadline. @default 'reject' */
  readonly whenBufferFull?: 'reject' | 'wait';
  /** Largest body accepted, checked before sending (RabbitMQ 4 rejects more than 16 MiB). @default 16777216 */
  readonly maxMessageBytes?: number;
  /** Return unroutable messages (and fail their publish with `UnroutableError`). @default true */
  readonly mandatory?: boolean;
  /** First back-off step after a nack; doubled per nack, full jitter. @default 100 */
  readonly backoffInitialMs?: number;
  /** Largest back-off step. @default 5000 */
  readonly backoffMaxMs?: number;
}

/** Options of one publish. */
export interface PublishOptions {
  /** Your id for the message (deduplication key downstream). @default a random 128-bit id, 22 base64url characters */
  readonly messageId?: string;
  /** Application headers (at most 64 KiB encoded). */
  readonly headers?: Readonly<Record<string, unknown>>;
  /** Overrides the publisher's `timeoutMs` for this message. */
  readonly timeoutMs?: number;
  /** Overrides the publisher's `mandatory`. */
  readonly mandatory?: boolean;
  readonly correlationId?: string;
  readonly replyTo?: string;
  readonly type?: string;
  readonly appId?: string;
  /** Per-message TTL in milliseconds (avoid in shared queues: it blocks the head of the line). */
  readonly expiration?: number;
  readonly priority?: number;
}

/** Options of `publishRaw()`: a Buffer body is sent as is, with this content type. */
export interface RawPublishOptions extends PublishOptions {
  /** @default 'application/json' for a non-Buffer body, 'application/octet-stream' for a Buffer */
  readonly contentType?: string;
  readonly contentEncoding?: string;
}

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
}

/** @internal */
export function resolveOptions(options: PublisherOptions): ResolvedOptions {
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
