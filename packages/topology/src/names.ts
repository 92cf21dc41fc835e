/**
 * The one naming scheme for the objects Warren derives from a work queue `q`. Documented in the README; changing
 * a name here is a breaking change for every deployed topology.
 *
 * - `q.retry.<delay>`: one delay-tier queue per retry delay (e.g. `q.retry.10s`), with a fixed message TTL; an
 *   expired message is dead-lettered through the default exchange straight back to `q` (and only `q`).
 * - `q.dlx`: the dead-letter exchange (fanout) named in `q`'s `x-dead-letter-exchange`.
 * - `q.dlq`: the dead-letter queue (parking lot), bound to `q.dlx`.
 * - `warren.q`: the policy that carries `q`'s mutable settings (TTL, length limits, overflow, delivery limit).
 */
export const retryQueueName = (queue: string, delayMs: number): string => `${queue}.retry.${formatDelay(delayMs)}`;
export const deadLetterExchangeName = (queue: string): string => `${queue}.dlx`;
export const deadLetterQueueName = (queue: string): string => `${queue}.dlq`;
export const POLICY_PREFIX = 'warren.';
export const policyName = (queue: string): string => `${POLICY_PREFIX}${queue}`;

/** Warren's own message headers. The attempt count lives here, not in `x-death` (RabbitMQ 4 stopped updating it). */
export const HEADERS = {
  /** 1-based number of the delivery attempt the message is on its way to. */
  attempt: 'x-warren-attempt',
  /** The last handler error's message, truncated. */
  error: 'x-warren-error',
  /** Why the message was dead-lettered: see `DeadLetterReason`. */
  reason: 'x-warren-reason',
  originalExchange: 'x-warren-original-exchange',
  originalRoutingKey: 'x-warren-original-routing-key',
  /** The work queue the message failed in. */
  queue: 'x-warren-queue',
  /** ISO-8601 times of the first and the last failure. */
  firstFailureAt: 'x-warren-first-failure-at',
  lastFailureAt: 'x-warren-last-failure-at',
} as const;

const UNITS: ReadonlyArray<[suffix: string, ms: number]> = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** 1000 → `1s`, 90000 → `90s`, 60000 → `1m`, 250 → `250ms`: the largest unit that divides the delay exactly. */
export function formatDelay(ms: number): string {
  for (const [suffix, size] of UNITS) if (ms >= size && ms % size === 0) return `${ms / size}${suffix}`;
  return `${ms}ms`;
}

/** `250ms`, `1s`, `1.5s`, `10m`, `1h` (or a number of milliseconds) → milliseconds; undefined if it does not parse. */
export function parseDelay(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isInteger(input) && input > 0 ? input : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(input);
  if (!match) return undefined;
  const factor = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(match[1]) * factor;
  return Number.isInteger(ms) && ms > 0 ? ms : undefined;
}
