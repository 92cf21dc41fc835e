import { formatDelay } from '@warren/topology';
import type { DeadLetterReason } from './decode';
import type { SubscriptionStatus } from './queue-presence';

/** Counters since the consumer was created. */
export interface ConsumerStats {
  delivered: number;
  acked: number;
  /** Retries handed to a tier, in total and by tier delay (`'200ms'`, `'10s'`). */
  retried: { total: number; byTier: Record<string, number> };
  /** Messages handed to the dead-letter queue, by reason. */
  deadLettered: { total: number; byReason: Partial<Record<DeadLetterReason, number>> };
  requeued: number;
  /** Messages acked without running the handler: their idempotency key was already done. */
  duplicates: number;
  /** Deliveries being handled or handed off right now. */
  inFlight: number;
  /** Handler run time of every finished attempt, in milliseconds. */
  handlerDuration: { count: number; totalMs: number; maxMs: number; meanMs: number };
  /** Every `consume()` of this consumer and its state (`queue-missing`: the queue was deleted on the broker). */
  subscriptions: SubscriptionStatus[];
}

/** @internal Mutable counters behind `consumer.stats()`. */
export class StatsRecorder {
  delivered = 0;
  acked = 0;
  requeued = 0;
  duplicates = 0;
  private readonly byTier: Record<string, number> = {};
  private readonly byReason: Partial<Record<DeadLetterReason, number>> = {};
  private durations = { count: 0, totalMs: 0, maxMs: 0 };

  retried(delayMs: number): void {
    const key = formatDelay(delayMs);
    this.byTier[key] = (this.byTier[key] ?? 0) + 1;
  }
  deadLettered(reason: DeadLetterReason): void {
    this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
  }
  handled(durationMs: number): void {
    const d = this.durations;
    d.count++;
    d.totalMs += durationMs;
    if (durationMs > d.maxMs) d.maxMs = durationMs;
  }

  snapshot(inFlight: number): Omit<ConsumerStats, 'subscriptions'> {
    const sum = (r: Record<string, number | undefined>): number =>
      Object.values(r).reduce<number>((a, b) => a + (b ?? 0), 0);
    const d = this.durations;
    return {
      delivered: this.delivered,
      acked: this.acked,
      retried: { total: sum(this.byTier), byTier: { ...this.byTier } },
      deadLettered: { total: sum(this.byReason), byReason: { ...this.byReason } },
      requeued: this.requeued,
      duplicates: this.duplicates,
      inFlight,
      handlerDuration: { ...d, meanMs: d.count === 0 ? 0 : d.totalMs / d.count },
    };
  }
}
