import type { Publisher } from '@warren/publisher';
import type { Ledger } from '@warren/testing';

export interface PacedRun {
  /** The ids, in publish order. */
  readonly ids: string[];
  /** Resolves when every publish has settled (confirmed or failed). */
  readonly settled: Promise<void>;
  /** Per publish: how late it settled after its own deadline (negative: before), the largest seen. */
  maxLateMs(): number;
}

export interface PacedOptions {
  readonly queue: string;
  readonly count: number;
  readonly ratePerSec: number;
  /** @default 1024 */
  readonly bodyBytes?: number;
  /** The publish deadline (`timeoutMs` of each publish). */
  readonly timeoutMs: number;
  /** Ids are `<prefix>-<n>`. */
  readonly prefix: string;
  /** Called before publish number `n` (0-based): where a scenario injects its faults. */
  readonly before?: (n: number) => void | Promise<void>;
}

/**
 * Publishes `count` messages to `queue` (default exchange) at `ratePerSec`, recording each in the ledger: sent, then
 * confirmed or failed with its code. Resolves once every publish has been *issued*; `settled` once every one settled.
 */
export async function publishPaced(publisher: Publisher, ledger: Ledger, options: PacedOptions): Promise<PacedRun> {
  // JSON (what the consumer decodes), padded to about `bodyBytes`.
  const body = { pad: 'x'.repeat(Math.max(0, (options.bodyBytes ?? 1024) - 10)) };
  const ids: string[] = [];
  const pending: Promise<void>[] = [];
  let maxLate = -Infinity;
  const start = Date.now();
  for (let n = 0; n < options.count; n++) {
    await options.before?.(n);
    const ahead = start + (n * 1000) / options.ratePerSec - Date.now();
    if (ahead >= 5) await new Promise((resolve) => setTimeout(resolve, ahead));
    const id = `${options.prefix}-${n}`;
    ids.push(id);
    ledger.sent(id);
    const deadline = Date.now() + options.timeoutMs;
    const late = () => (maxLate = Math.max(maxLate, Date.now() - deadline));
    pending.push(
      publisher
        .publishRaw('', options.queue, body, { messageId: id, timeoutMs: options.timeoutMs })
        .then(
          () => ledger.confirmed(id),
          (error: unknown) => ledger.failed(id, error),
        )
        .finally(late),
    );
  }
  return { ids, settled: Promise.all(pending).then(() => undefined), maxLateMs: () => maxLate };
}
