import {
  checkOptions,
  CONNECTION_OPTIONS,
  knownOptions,
  WarrenError,
  type ConnectionOptions,
  type LoggerLike,
} from '@warren/core';
import type { DesiredTopology } from '@warren/topology';
import { resolveIdempotency, type IdempotencyOptions, type ResolvedIdempotency } from './idempotency/options';

/**
 * Options of `createConsumer()`. The connection options (`urls`, `name`, `heartbeatSeconds`, `reconnectSeconds`,
 * `noDelay`, `tls`) are those of `@warren/core`, with the same defaults as the publisher's.
 */
export interface ConsumerOptions extends ConnectionOptions {
  /** The derived topology (`deriveTopology(...)`): where each work queue's retry tiers and dead-letter queue are. */
  readonly topology: DesiredTopology;
  /**
   * Milliseconds to wait before reopening a channel the broker closed, re-subscribing after a broker cancel, or
   * requeueing a message whose hand-off to a retry tier or dead-letter queue was not confirmed. A positive number up
   * to 2147483647.
   * @default 1000
   */
  readonly retryDelayMs?: number;
  /**
   * `consumer.health()` reports a subscription `stalled` (failing) when its queue has ready messages but none of its
   * deliveries finished for this long (README, "Health"). Set it above your slowest handler's run time. A positive
   * number up to 2147483647.
   * @default 60000
   */
  readonly stallAfterMs?: number;
  /**
   * Where the consumer logs its connection life, subscriptions, retries and dead-lettering (README, "Logging"): pino
   * or any object with `debug`, `info`, `warn`, `error` (and `child`, used when present).
   * @default none: nothing is logged
   */
  readonly logger?: LoggerLike;
  /**
   * OpenTelemetry spans and metrics (README, "Tracing and metrics") when `@opentelemetry/api` is installed and an
   * SDK registered; `false` turns them off for this consumer.
   * @default true
   */
  readonly telemetry?: boolean;
}

/** @internal The keys of `ConsumerOptions`: `createConsumer()` rejects any other with `INVALID_OPTION`. */
export const CONSUMER_OPTIONS = knownOptions<ConsumerOptions>({
  ...CONNECTION_OPTIONS,
  topology: true,
  retryDelayMs: true,
  stallAfterMs: true,
  logger: true,
  telemetry: true,
});

/** Options of one `consume()`; `Payload` and `Transaction` type the `idempotency.key` function and `ctx.transaction`. */
export interface ConsumeOptions<Payload = unknown, Transaction = undefined> {
  /**
   * Messages in flight in this process for this queue (the `basic.qos` of the subscription's own channel): handlers
   * run concurrently up to this bound and nothing is queued locally beyond it. An integer from 1 to 65535.
   * @default 10
   */
  readonly prefetch?: number;
  /**
   * After this many milliseconds the attempt counts as failed (retried like a throw) and the handler's `signal` is
   * aborted with `HANDLER_TIMEOUT`. An integer from 1 to 2147483647. A handler that ignores its signal keeps
   * running after its message is settled: it then no longer counts against `prefetch`, but `close()` waits for it.
   * @default none (no timeout)
   */
  readonly handlerTimeoutMs?: number;
  /**
   * Run the handler at most once per key (default: the `messageId`), across every worker sharing the store: a key
   * already done is acked without the handler (`stats().duplicates`, the `duplicate` event). See the README's
   * "Idempotency" section for what each store guarantees.
   * @default none (every delivery runs the handler)
   */
  readonly idempotency?: IdempotencyOptions<Payload, Transaction>;
  /**
   * Request/reply: send the handler error's stack to the caller (`RemoteError.remoteStack`) when a request fails for
   * good. Off by default: a stack tells a caller about the worker's code.
   * @default false
   */
  readonly replyErrorStack?: boolean;
  /**
   * How long `consume()` waits for a queue missing on the broker to appear (checked every `retryDelayMs`) before it
   * rejects with `QUEUE_NOT_FOUND`. Without it, a missing queue rejects at once: the topology was not applied
   * (`warren apply`). An integer from 1 to 2147483647.
   * @default none (reject at once)
   */
  readonly waitForQueueMs?: number;
}

/** @internal The keys of `ConsumeOptions`: `consume()` rejects any other with `INVALID_OPTION`. */
export const CONSUME_OPTIONS = knownOptions<ConsumeOptions>({
  prefetch: true,
  handlerTimeoutMs: true,
  idempotency: true,
  waitForQueueMs: true,
  replyErrorStack: true,
});

/** Options of `close()`. */
export interface CloseOptions {
  /**
   * How long in-flight handlers may run after intake stopped; then their signals are aborted (`SHUTDOWN`) and their
   * messages go back to the queue.
   * @default 10000
   */
  readonly timeoutMs?: number;
}

/** @internal The keys of `CloseOptions`. */
export const CLOSE_OPTIONS = knownOptions<CloseOptions>({ timeoutMs: true });

/** The largest delay `setTimeout` honours; a larger one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** @internal The consumer-level options, defaulted and checked once, at construction. */
export interface ResolvedConsumerOptions {
  /** Passed to `openConnection` as given: core applies the connection defaults. */
  readonly connection: ConnectionOptions;
  readonly topology: DesiredTopology;
  readonly retryDelayMs: number;
  readonly stallAfterMs: number;
  readonly logger: LoggerLike | undefined;
  readonly telemetry: boolean;
}

/** @internal The options of one `consume()`, defaulted and checked when it is called. */
export interface ResolvedConsumeOptions {
  readonly prefetch: number;
  readonly handlerTimeoutMs: number | undefined;
  readonly idempotency: ResolvedIdempotency | undefined;
  readonly replyErrorStack: boolean;
  readonly waitForQueueMs: number | undefined;
}

/** @internal Throws `INVALID_OPTION` naming the option. */
export function resolveConsumerOptions(options: ConsumerOptions): ResolvedConsumerOptions {
  checkOptions('createConsumer()', options, CONSUMER_OPTIONS);
  const { urls, name, heartbeatSeconds, reconnectSeconds, noDelay, tls, topology } = options;
  if (reconnectSeconds !== undefined) positiveNumber('reconnectSeconds', reconnectSeconds, MAX_TIMER_MS / 1000);
  return {
    connection: { urls, name, heartbeatSeconds, reconnectSeconds, noDelay, tls },
    topology,
    retryDelayMs: positiveNumber('retryDelayMs', options.retryDelayMs ?? 1000, MAX_TIMER_MS),
    stallAfterMs: positiveNumber('stallAfterMs', options.stallAfterMs ?? 60_000, MAX_TIMER_MS),
    logger: options.logger,
    telemetry: options.telemetry !== false,
  };
}

/** @internal Throws `INVALID_OPTION` naming the option. */
export function resolveConsumeOptions(options: ConsumeOptions<never, unknown>): ResolvedConsumeOptions {
  checkOptions('consume()', options, CONSUME_OPTIONS);
  const { handlerTimeoutMs, idempotency, waitForQueueMs } = options;
  const timeout =
    handlerTimeoutMs === undefined ? undefined : positiveInteger('handlerTimeoutMs', handlerTimeoutMs, MAX_TIMER_MS);
  return {
    prefetch: positiveInteger('prefetch', options.prefetch ?? 10, 65_535),
    handlerTimeoutMs: timeout,
    idempotency: idempotency === undefined ? undefined : resolveIdempotency(idempotency, timeout),
    replyErrorStack: options.replyErrorStack === true,
    waitForQueueMs:
      waitForQueueMs === undefined ? undefined : positiveInteger('waitForQueueMs', waitForQueueMs, MAX_TIMER_MS),
  };
}

function positiveInteger(name: string, value: number, max: number): number {
  if (Number.isInteger(value) && value > 0 && value <= max) return value;
  throw new WarrenError('INVALID_OPTION', `${name} must be an integer from 1 to ${max}, got ${String(value)}.`);
}

function positiveNumber(name: string, value: number, max: number): number {
  if (typeof value === 'number' && value > 0 && value <= max) return value;
  throw new WarrenError('INVALID_OPTION', `${name} must be a positive number up to ${max}, got ${String(value)}.`);
}
