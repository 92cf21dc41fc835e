import { WarrenError } from '@warren/core';

/**
 * Polls `probe` every `intervalMs` until it returns a value (not `undefined`); throws `WAIT_TIMEOUT` after
 * `timeoutMs`, naming what it waited for and the last probe error, if any.
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new WarrenError('WAIT_TIMEOUT', `Timed out after ${timeoutMs} ms waiting for ${what}${why}.`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
