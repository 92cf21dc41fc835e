/** @internal What the stall verdict reads of one subscription (times from `performance.now()`). */
export interface StallInput {
  readonly now: number;
  /** When each delivery in flight started. */
  readonly startedAt: Iterable<number>;
  /** When a delivery of this subscription last finished (was settled), or when the subscription was created. */
  readonly lastFinishedAt: number;
  readonly prefetch: number;
  readonly handlerTimeoutMs: number | undefined;
  readonly stallAfterMs: number;
}

/**
 * @internal The local half of the stall verdict:
 * - `stuck`: at least `prefetch` deliveries have run longer than `handlerTimeoutMs` (handlers that ignore their
 *   signal): every slot is taken, nothing new can come in. Stalled whatever the queue holds.
 * - `idle-too-long`: work is in flight, but nothing finished for `stallAfterMs` (counted from the later of the last
 *   finish and the oldest delivery's start, so a burst after a quiet hour is not a stall). Stalled only if the queue
 *   has ready messages: the caller reads the ready count over AMQP.
 * - `undefined`: making progress, or nothing to do.
 */
export function stallVerdict(input: StallInput): 'stuck' | 'idle-too-long' | undefined {
  const { now, lastFinishedAt, prefetch, handlerTimeoutMs, stallAfterMs } = input;
  let inFlight = 0;
  let overdue = 0;
  let oldest = Infinity;
  for (const startedAt of input.startedAt) {
    inFlight++;
    oldest = Math.min(oldest, startedAt);
    if (handlerTimeoutMs !== undefined && now - startedAt > handlerTimeoutMs) overdue++;
  }
  if (overdue >= prefetch) return 'stuck';
  if (inFlight > 0 && now - Math.max(lastFinishedAt, oldest) >= stallAfterMs) return 'idle-too-long';
  return undefined;
}
