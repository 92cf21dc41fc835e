/** What `Ledger.verdict()` is told about the end state, and the duplicate budget of the run. */
export interface VerdictInput {
  /** The work queues (and whatever else the scenario checks) were empty at the end. */
  readonly drained: boolean;
  /**
   * The most duplicates the run may produce: e.g. `maxInFlight` per publisher connection drop plus `prefetch` per
   * consumer connection drop (a kill -9 of a worker is a drop).
   * @default Infinity (duplicates are reported, not judged)
   */
  readonly duplicateBound?: number;
}

/** The end of a run in numbers; `ok` when nothing confirmed was lost and nothing unexpected arrived. */
export interface Verdict {
  readonly sent: number;
  readonly confirmed: number;
  /** Failed publishes by error code (`PUBLISH_TIMEOUT` among them: see `indeterminate`). */
  readonly failed: Readonly<Record<string, number>>;
  /** The first error message seen for each failure code: what the report shows about a failure. */
  readonly failureSamples: Readonly<Record<string, string>>;
  /** Failed publishes whose message may still have arrived (their code is one of the indeterminate codes). */
  readonly indeterminate: number;
  /** Distinct ids consumed (handled or parked). */
  readonly consumed: number;
  readonly parked: number;
  /** Confirmed ids never consumed nor parked. */
  readonly lost: readonly string[];
  /** Ids consumed that were never published, or whose publish failed with a definite (not indeterminate) code. */
  readonly unexpected: readonly string[];
  /** Deliveries beyond the first, over every id. */
  readonly duplicates: number;
  /** `duplicates` in percent of the distinct ids consumed. */
  readonly duplicatesPct: number;
  readonly duplicateBound: number;
  readonly drained: boolean;
  /** Unhandled rejections, `'error'` events and other failures the scenario caught outside a publish. */
  readonly unhandled: readonly string[];
  readonly ok: boolean;
}

/** Codes a failed publish may have been delivered despite: the broker may have taken the message. */
export const INDETERMINATE_CODES: readonly string[] = ['PUBLISH_TIMEOUT'];

/**
 * The books of a Jepsen-style run: what was published, confirmed, failed (by code) and consumed (with counts), so that
 * `verdict()` can say whether a confirmed message was lost, an unexpected one arrived, and how many duplicates came.
 * Ids are the `messageId`s the scenario chose.
 * @example
 * const ledger = new Ledger();
 * ledger.sent(id);
 * publisher.publishRaw('', queue, body, { messageId: id }).then(() => ledger.confirmed(id), (e) => ledger.failed(id, e));
 * consumer.consume(queue, (_p, ctx) => void ledger.consumed(ctx.messageId!));
 * expect(ledger.verdict({ drained: true }).ok).toBe(true);
 */
export class Ledger {
  private readonly sentIds = new Set<string>();
  private readonly confirmedIds = new Set<string>();
  private readonly failures = new Map<string, string>();
  private readonly samples: Record<string, string> = {};
  private readonly consumedCounts = new Map<string, number>();
  private readonly parkedIds = new Set<string>();
  private readonly problems: string[] = [];

  /** @param indeterminateCodes failure codes after which the message may still arrive (not "unexpected" then) */
  constructor(private readonly indeterminateCodes: readonly string[] = INDETERMINATE_CODES) {}

  sent(id: string): void {
    this.sentIds.add(id);
  }

  confirmed(id: string): void {
    this.confirmedIds.add(id);
  }

  /** A publish failed; the code is read from a `WarrenError` (`'UNKNOWN'` otherwise). */
  failed(id: string, error: unknown): void {
    const code = codeOf(error);
    this.failures.set(id, code);
    this.samples[code] ??= error instanceof Error ? error.message : String(error);
  }

  /** The handler ran for this id (once per delivery: a second call is a duplicate). */
  consumed(id: string): void {
    this.consumedCounts.set(id, (this.consumedCounts.get(id) ?? 0) + 1);
  }

  /** The id was found in a dead-letter queue at the end: accounted for, not lost. */
  parked(id: string): void {
    this.parkedIds.add(id);
  }

  /** Something failed outside a publish (an unhandled rejection, an `'error'` event). */
  unhandled(what: string): void {
    this.problems.push(what);
  }

  /** Confirmed ids not (yet) consumed or parked: what a scenario waits on before its verdict. */
  outstanding(): number {
    let count = 0;
    for (const id of this.confirmedIds) if (!this.consumedCounts.has(id) && !this.parkedIds.has(id)) count++;
    return count;
  }

  /** Publishes that have neither been confirmed nor failed yet. */
  unsettled(): number {
    return this.sentIds.size - this.confirmedIds.size - this.failures.size;
  }

  consumedCount(id: string): number {
    return this.consumedCounts.get(id) ?? 0;
  }

  verdict(input: VerdictInput): Verdict {
    const lost = [...this.confirmedIds].filter((id) => !this.consumedCounts.has(id) && !this.parkedIds.has(id));
    const unexpected = [...this.consumedCounts.keys(), ...this.parkedIds].filter((id) => this.isUnexpected(id));
    const failed: Record<string, number> = {};
    for (const code of this.failures.values()) failed[code] = (failed[code] ?? 0) + 1;
    let duplicates = 0;
    for (const count of this.consumedCounts.values()) duplicates += count - 1;
    const consumed = new Set([...this.consumedCounts.keys(), ...this.parkedIds]).size;
    const duplicateBound = input.duplicateBound ?? Infinity;
    return {
      sent: this.sentIds.size,
      confirmed: this.confirmedIds.size,
      failed,
      failureSamples: { ...this.samples },
      indeterminate: [...this.failures.values()].filter((code) => this.indeterminateCodes.includes(code)).length,
      consumed,
      parked: this.parkedIds.size,
      lost,
      unexpected: [...new Set(unexpected)],
      duplicates,
      duplicatesPct: consumed === 0 ? 0 : round2((duplicates / consumed) * 100),
      duplicateBound,
      drained: input.drained,
      unhandled: [...this.problems],
      ok:
        lost.length === 0 &&
        unexpected.length === 0 &&
        input.drained &&
        this.problems.length === 0 &&
        duplicates <= duplicateBound,
    };
  }

  private isUnexpected(id: string): boolean {
    if (!this.sentIds.has(id)) return true;
    const code = this.failures.get(id);
    return code !== undefined && !this.indeterminateCodes.includes(code);
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
