/** @internal Exponential back-off step for the n-th retry (0-based), capped: `min(max, initial * 2^n)`. */
export function backoffStep(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}

/**
 * @internal Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): a uniform delay in
 * `[0, step)`, so publishers nacked together do not retry together.
 */
export function fullJitter(attempt: number, initialMs: number, maxMs: number): number {
  return Math.random() * backoffStep(attempt, initialMs, maxMs);
}

/**
 * @internal The wait before re-sending a message nacked `attempt` times (0-based), or undefined when no copy sent
 * from now on could be answered before the deadline. The budget is used to the end: a jittered wait that would
 * pass the last moment a copy can go out (`deadline - marginMs`) is shortened to end there.
 */
export function retryDelay(
  attempt: number,
  now: number,
  deadline: number,
  marginMs: number,
  initialMs: number,
  maxMs: number,
): number | undefined {
  const latest = deadline - marginMs - now;
  if (latest <= 0) return undefined;
  return Math.min(fullJitter(attempt, initialMs, maxMs), latest);
}

/** @internal `retryAfterMs` of a refusal: the back-off step the message had reached (in `[initial, max]`). */
export function retryAfter(attempt: number, initialMs: number, maxMs: number): number {
  return backoffStep(attempt, initialMs, maxMs);
}
