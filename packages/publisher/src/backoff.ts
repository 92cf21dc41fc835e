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

/** @internal A `Retry-After` suggestion: the next back-off step, at least a second (HTTP's unit). */
export function retryAfter(attempt: number, initialMs: number, maxMs: number): number {
  return Math.max(1_000, Math.ceil(backoffStep(attempt, initialMs, maxMs) / 1_000) * 1_000);
}
