import { checkOptions, knownOptions, WarrenError } from '@warren/core';
import type { MessageContext } from '../context';
import type { IdempotencyStore } from './store';

/** The `idempotency` option of `consume()`: run the handler at most once per key (see `IdempotencyStore`). */
export interface IdempotencyOptions<Payload = unknown, Session = undefined> {
  /** Where keys are claimed and marked done: `MemoryIdempotencyStore`, `RedisIdempotencyStore`, … */
  readonly store: IdempotencyStore<Session>;
  /**
   * The key of a message. It is prefixed with the queue's name, so one message consumed from two queues is handled
   * once in each. A message without a key (no `messageId` and no `key`, or `key` returns `undefined` or `''`) is
   * dead-lettered with reason `non-retryable`: it cannot be de-duplicated, and passing it through would hide that.
   * @default the message's `messageId` (Warren's publisher always sets one)
   */
  readonly key?: (payload: Payload, ctx: MessageContext<undefined>) => string | undefined;
  /**
   * How long a done key is remembered, in milliseconds: a duplicate arriving later runs the handler again.
   * @default 86400000 (24 hours)
   */
  readonly ttlMs?: number;
  /**
   * How long a claim holds without being completed or released, in milliseconds: after it, a worker that died while
   * handling the message no longer blocks its redelivery. Must be longer than `handlerTimeoutMs`. Not used by
   * `PostgresTransactionalStore` (its claim ends with its transaction).
   * @default 60000, or twice `handlerTimeoutMs` when that is longer
   */
  readonly leaseMs?: number;
}

/** @internal The keys of `IdempotencyOptions`. */
export const IDEMPOTENCY_OPTIONS = knownOptions<IdempotencyOptions>({
  store: true,
  key: true,
  ttlMs: true,
  leaseMs: true,
});

/** @internal `IdempotencyOptions`, checked and defaulted. */
export interface ResolvedIdempotency {
  readonly store: IdempotencyStore<unknown>;
  readonly key: (payload: unknown, ctx: MessageContext<undefined>) => string | undefined;
  readonly ttlMs: number;
  readonly leaseMs: number;
  /**
   * How long a delivery of a busy key is held (claimed again meanwhile) before it is requeued: the rest of a lease,
   * but less than half the handler timeout, which the wait counts against.
   */
  readonly busyWaitMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Ten years: far beyond any sensible TTL, well inside what Redis and PostgreSQL accept. */
const MAX_MS = 10 * 365 * DAY_MS;

/** @internal Throws `INVALID_OPTION` naming the option, when `consume()` is called. */
export function resolveIdempotency(
  options: IdempotencyOptions<never, unknown>,
  handlerTimeoutMs: number | undefined,
): ResolvedIdempotency {
  checkOptions('consume() idempotency', options, IDEMPOTENCY_OPTIONS);
  const { store, key } = options;
  if (
    !['claim', 'complete', 'release'].every(
      (m) => typeof (store as unknown as Record<string, unknown>)?.[m] === 'function',
    )
  ) {
    invalid(
      'idempotency.store must be an IdempotencyStore (claim, complete, release), e.g. new MemoryIdempotencyStore().',
    );
  }
  if (key !== undefined && typeof key !== 'function') {
    invalid('idempotency.key must be a function (payload, ctx) => string, or left out to use the messageId.');
  }
  const ttlMs = milliseconds('idempotency.ttlMs', options.ttlMs ?? DAY_MS);
  const leaseMs = milliseconds('idempotency.leaseMs', options.leaseMs ?? Math.max(60_000, 2 * (handlerTimeoutMs ?? 0)));
  if (handlerTimeoutMs !== undefined && leaseMs <= handlerTimeoutMs) {
    invalid(
      `idempotency.leaseMs (${leaseMs}) must be longer than handlerTimeoutMs (${handlerTimeoutMs}): a lease that ` +
        'ends while the handler runs lets another worker run it at the same time.',
    );
  }
  return {
    store,
    key: (key as ResolvedIdempotency['key'] | undefined) ?? ((_payload, ctx) => ctx.messageId),
    ttlMs,
    leaseMs,
    busyWaitMs: Math.min(leaseMs, handlerTimeoutMs === undefined ? Infinity : Math.floor(handlerTimeoutMs / 2)),
  };
}

function milliseconds(name: string, value: number): number {
  if (Number.isInteger(value) && value > 0 && value <= MAX_MS) return value;
  return invalid(`${name} must be an integer number of milliseconds from 1 to ${MAX_MS}, got ${String(value)}.`);
}

function invalid(message: string): never {
  throw new WarrenError('INVALID_OPTION', message);
}
