import { checkOptions, knownOptions, WarrenError } from '@warren/core';
import { backoffStep } from './backoff';
import { BackPressureError } from './errors';

/** Options of `retryOnBackPressure()`. */
export interface RetryOnBackPressureOptions {
  /**
   * Stops retrying: a wait ends at once and the call rejects with the signal's reason. An attempt already running
   * is not interrupted (pass the signal to it yourself).
   * @default none
   */
  readonly signal?: AbortSignal;
  /**
   * No attempt starts after this many milliseconds from the call: the last wait is shortened to end there, and if
   * that attempt fails too its `BackPressureError` is thrown.
   * @default 60000
   */
  readonly maxElapsedMs?: number;
  /**
   * First back-off step; it doubles after each failed attempt up to `maxDelayMs`. A larger `retryAfterMs` on the
   * error raises the step of that wait.
   * @default 100
   */
  readonly initialDelayMs?: number;
  /**
   * Largest back-off step (a larger `retryAfterMs` still wins).
   * @default 10000
   */
  readonly maxDelayMs?: number;
}

const RETRY_OPTIONS = knownOptions<RetryOnBackPressureOptions>({
  signal: true,
  maxElapsedMs: true,
  initialDelayMs: true,
  maxDelayMs: true,
});

/**
 * Calls `fn` until it resolves, retrying while it fails with a `BackPressureError` (a full queue, a full buffer, a
 * blocked broker, a timeout): the loop jobs and scripts that publish in bulk would otherwise write by hand. Each
 * wait is drawn uniformly in `[0, step)` (full jitter, so callers pushed back together do not come back together),
 * where `step` is the larger of the error's `retryAfterMs` and the exponential step. Any other error is thrown at
 * once. `fn` gets the 0-based attempt number; reuse one `messageId` across attempts, so that the copy of a
 * publish that timed out but arrived is a duplicate downstream can drop.
 *
 * @example
 * for (const order of orders) {
 *   await retryOnBackPressure(() => publisher.publish(OrderCreated, order, { messageId: order.id }));
 * }
 */
export async function retryOnBackPressure<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOnBackPressureOptions = {},
): Promise<T> {
  checkOptions('retryOnBackPressure()', options, RETRY_OPTIONS);
  const { signal, maxElapsedMs = 60_000, initialDelayMs = 100, maxDelayMs = 10_000 } = options;
  for (const [name, value] of Object.entries({ maxElapsedMs, initialDelayMs, maxDelayMs })) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new WarrenError('INVALID_OPTION', `retryOnBackPressure() option ${name} must be a positive number.`);
    }
  }
  const giveUpAt = Date.now() + maxElapsedMs;
  // Set by a wait cut to end at the bound: the attempt after it is the last (a timer may fire a millisecond early,
  // which would otherwise leave a sliver of time for one attempt more).
  let atBound = false;
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      const left = giveUpAt - Date.now();
      if (!(error instanceof BackPressureError) || atBound || left <= 0) throw error;
      signal?.throwIfAborted();
      const step = Math.max(error.retryAfterMs, backoffStep(attempt, initialDelayMs, maxDelayMs));
      const wait = Math.random() * step;
      atBound = wait >= left;
      await sleep(Math.min(left, wait), signal);
    }
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it is aborted. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
