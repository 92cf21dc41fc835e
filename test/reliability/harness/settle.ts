import { queueDepth, type Ledger } from '@warren/testing';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` every 50 ms; false if it did not hold within `timeoutMs`. */
export async function eventually(predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

/**
 * Waits (up to `timeoutMs`) until every publish settled and every confirmed id was consumed, then until `queues` hold
 * no ready message; `true` when they are empty. Lost messages show in the verdict, not as a throw here.
 */
export async function settle(
  ledger: Ledger,
  amqpUrl: string,
  queues: readonly string[],
  timeoutMs = 60_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  await eventually(() => ledger.unsettled() === 0 && ledger.outstanding() === 0, timeoutMs);
  return drained(amqpUrl, queues, Math.max(2_000, deadline - Date.now()));
}

/** True once every queue in `queues` has no ready message (checked over AMQP, no stats lag). */
export function drained(amqpUrl: string, queues: readonly string[], timeoutMs = 5_000): Promise<boolean> {
  return eventually(async () => {
    const depths = await Promise.all(queues.map((queue) => queueDepth(amqpUrl, queue).catch(() => -1)));
    return depths.every((depth) => depth === 0);
  }, timeoutMs);
}
