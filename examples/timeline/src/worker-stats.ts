/** What the worker reports to the demo: counts of distinct messages, so redeliveries are not counted twice. */
export interface WorkerStatsSnapshot {
  /** Posts fanned out successfully (distinct message ids). */
  readonly processed: number;
  /** Hand-offs to each retry tier queue, by queue name. */
  readonly retried: Readonly<Record<string, number>>;
  /** Posts the worker dead-lettered (distinct message ids). */
  readonly deadLettered: number;
  /** Deliveries being handled or handed off to a retry tier or the dead-letter queue right now. */
  readonly inFlight: number;
  /** Scheduled reminders delivered, and how late each was after its due time (ms; never negative). */
  readonly reminders: readonly number[];
}

export class WorkerStats {
  private readonly processedIds = new Set<string>();
  private readonly deadLetteredIds = new Set<string>();
  private readonly retriedByTier = new Map<string, number>();
  private readonly reminderLateness: number[] = [];
  reminded(lateMs: number): void {
    this.reminderLateness.push(lateMs);
  }

  processed(messageId: string): void {
    this.processedIds.add(messageId);
  }

  retried(tierQueue: string): void {
    this.retriedByTier.set(tierQueue, (this.retriedByTier.get(tierQueue) ?? 0) + 1);
  }

  deadLettered(messageId: string): void {
    this.deadLetteredIds.add(messageId);
  }

  snapshot(inFlight: number): WorkerStatsSnapshot {
    return {
      processed: this.processedIds.size,
      retried: Object.fromEntries(this.retriedByTier),
      deadLettered: this.deadLetteredIds.size,
      inFlight,
      reminders: [...this.reminderLateness],
    };
  }
}
