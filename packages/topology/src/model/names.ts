import { createHash } from 'node:crypto';

/**
 * The one naming scheme for the objects Warren derives from a work queue `q`. Documented in the README; changing
 * a name here is a breaking change for every deployed topology.
 *
 * - `q.retry.<delay>`: one delay-tier queue per retry delay (e.g. `q.retry.10s`), with a fixed message TTL; an
 *   expired message is dead-lettered through the default exchange straight back to `q` (and only `q`).
 * - `q.dlx`: the dead-letter exchange (fanout) named in `q`'s `x-dead-letter-exchange`.
 * - `q.dlq`: the dead-letter queue (parking lot), bound to `q.dlx`.
 * - `warren.<definition hash>.<first member hash>`: a policy carrying the mutable settings (TTL, length limits,
 *   overflow, delivery limit) of every work queue with exactly that definition and queue type, its pattern an
 *   anchored alternation of their escaped names, `^(?:a|b|c)$`, at most `POLICY_PATTERN_MAX_BYTES` long (a long
 *   group is split into several policies, in sorted name order). One policy per queue made the broker match each
 *   queue declare against hundreds of policies (5x slower applies); grouped, a 500-queue topology has a handful.
 *   The name also hashes the policy's first queue (in sorted order), which belongs to one file only, so two files
 *   sharing a vhost never claim the same policy with different members (identical limits are common: every quorum
 *   queue gets a delivery limit); and a group keeps its name, updated in place, when a later member joins or leaves.
 */
export const retryQueueName = (queue: string, delayMs: number): string => `${queue}.retry.${formatDelay(delayMs)}`;
export const deadLetterExchangeName = (queue: string): string => `${queue}.dlx`;
export const deadLetterQueueName = (queue: string): string => `${queue}.dlq`;
export const POLICY_PREFIX = 'warren.';

/** The longest policy pattern Warren writes, in bytes: RabbitMQ 4.3 refuses patterns over 1,024 bytes. */
export const POLICY_PATTERN_MAX_BYTES = 1000;

/**
 * `warren.<8 hex of the definition and queue type>.<8 hex of the first of the queues in sorted order>`: the name of
 * the Warren policy holding `definition` for `queues` (in any order). Deterministic, so a second apply finds it
 * unchanged.
 */
export function policyName(
  queueType: string,
  definition: Readonly<Record<string, unknown>>,
  queues: readonly string[],
): string {
  const sortedDefinition = Object.fromEntries(Object.entries(definition).sort(([a], [b]) => (a < b ? -1 : 1)));
  const [first = ''] = [...queues].sort(byCodeUnit);
  return `${POLICY_PREFIX}${hash([queueType, sortedDefinition])}.${hash(first)}`;
}

/** `^(?:a|b|c)$` with every name regex-escaped: matches exactly these queues. */
export const policyPattern = (queues: readonly string[]): string => `^(?:${queues.map(escapeRegExp).join('|')})$`;

/**
 * The queue names a Warren policy pattern matches: `^(?:a|b)$`, or `^a$` (one policy per queue, before grouping).
 * Undefined for any other regular expression (an operator's policy, or an edited pattern).
 */
export function policyPatternQueues(pattern: string): string[] | undefined {
  const body = /^\^\(\?:(.*)\)\$$/s.exec(pattern)?.[1] ?? /^\^(.*)\$$/s.exec(pattern)?.[1];
  if (body === undefined) return undefined;
  const parts = body.split(/(?<!\\)\|/);
  const names = parts.map((part) => part.replace(/\\(.)/gs, '$1'));
  // Only an exact list of escaped names counts: `a.*` or `(a|b)c` are someone's own expressions.
  return names.every((name, i) => name !== '' && escapeRegExp(name) === parts[i]) ? names : undefined;
}

export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Sorts names by UTF-16 code unit, as the broker lists them: the same order on every machine and locale. */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8);

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
