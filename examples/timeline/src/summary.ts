import type { AggregationSnapshot } from './aggregation';
import type { LoadCounts } from './load';
import { totalRetrying, type Depths } from './queue-depths';
import type { WorkerStatsSnapshot } from './worker-stats';

/** The demo's final numbers (`--json` prints exactly this). */
export interface DemoSummary {
  readonly broker: string;
  readonly durationMs: number;
  readonly posts: number;
  readonly accepted: number;
  readonly rejected503: number;
  readonly invalid400: number;
  readonly gaveUp: number;
  readonly errors: number;
  readonly errorKinds: Readonly<Record<string, number>>;
  readonly processed: number;
  /** Hand-offs to each retry tier, by tier queue. */
  readonly retried: Readonly<Record<string, number>>;
  /** Messages in the dead-letter queue at the end. */
  readonly deadLettered: number;
  /**
   * Accepted posts neither processed nor dead-lettered yet: ready in the work queue or a retry tier, or waiting in
   * a tier to re-enter the work queue (RabbitMQ re-sends those within `dead_letter_worker_publisher_confirm_timeout`).
   */
  readonly stillQueued: number;
  readonly queues: Readonly<Record<string, number>>;
  /** Included in `stillQueued`: see `Depths.returning`. */
  readonly returning: number;
  /**
   * Copies counted twice (same `messageId`, at-least-once delivery): a post the service answered 503 for after its
   * deadline may have arrived anyway and then been accepted again; the broker's at-least-once dead-letter worker
   * may re-send a retry the work queue had in fact taken.
   */
  readonly duplicates: number;
  /** `accepted === processed + deadLettered + stillQueued - duplicates`: no accepted post lost. */
  readonly balanced: boolean;
  /** The nightly aggregation's ticks (every 3 s in the demo), as the worker received them. */
  readonly aggregation?: AggregationSnapshot;
}

export interface SummaryInput {
  readonly broker: string;
  readonly durationMs: number;
  readonly posts: number;
  readonly load: LoadCounts;
  readonly worker: WorkerStatsSnapshot;
  readonly depths: Depths;
  readonly queueNames: { readonly work: string; readonly deadLetter: string };
  readonly aggregation?: AggregationSnapshot;
}

export function summarize(input: SummaryInput): DemoSummary {
  const { load, worker, depths } = input;
  const stillQueued = depths.work + totalRetrying(depths);
  const accepted = load.accepted.size;
  const counted = worker.processed + depths.deadLetter + stillQueued;
  return {
    broker: input.broker,
    durationMs: input.durationMs,
    posts: input.posts,
    accepted,
    rejected503: load.rejected503,
    invalid400: load.invalid,
    gaveUp: load.gaveUp,
    errors: load.errors,
    errorKinds: load.errorKinds,
    processed: worker.processed,
    retried: worker.retried,
    deadLettered: depths.deadLetter,
    stillQueued,
    queues: { [input.queueNames.work]: depths.work, ...depths.retry, [input.queueNames.deadLetter]: depths.deadLetter },
    returning: depths.returning,
    duplicates: Math.max(0, counted - accepted),
    balanced: counted >= accepted,
    ...(input.aggregation === undefined ? {} : { aggregation: input.aggregation }),
  };
}

/** One line per second while the demo runs. */
export function liveLine(elapsedMs: number, load: LoadCounts, worker: WorkerStatsSnapshot, depths: Depths): string {
  const retried = Object.entries(worker.retried).map(([queue, n]) => `${tierLabel(queue)}:${n}`);
  return [
    `[${(elapsedMs / 1000).toFixed(0).padStart(3)}s]`,
    `accepted ${load.accepted.size}`,
    `503s ${load.rejected503}`,
    `processed ${worker.processed}`,
    `retried ${retried.join(' ') || '0'}`,
    `dead-lettered ${depths.deadLetter}`,
    `| ready: work ${depths.work}, retry ${totalRetrying(depths)}`,
  ].join('  ');
}

/** The final table. */
export function finalTable(summary: DemoSummary): string {
  const rows: Array<[string, number | string]> = [
    ['posts sent', summary.posts],
    ['accepted (202)', summary.accepted],
    ['rejected with 503 + Retry-After (retried by the client)', summary.rejected503],
    ['invalid (400, sent on purpose)', summary.invalid400],
    ['gave up after retries', summary.gaveUp],
    ['other errors (retried)', summary.errors],
    ...Object.entries(summary.errorKinds).map(([kind, n]): [string, number] => [`  ${kind}`, n]),
    ['processed by the worker', summary.processed],
    ...Object.entries(summary.retried).map(([queue, n]): [string, number] => [`retried via ${queue}`, n]),
    ['dead-lettered (in the DLQ)', summary.deadLettered],
    ['still queued', summary.stillQueued],
    ...Object.entries(summary.queues).map(([queue, n]): [string, number] => [`ready in ${queue}`, n]),
    ['waiting in a tier to re-enter the work queue (see README)', summary.returning],
    ...aggregationRows(summary.aggregation),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const duplicates = summary.duplicates > 0 ? ` - ${summary.duplicates} duplicate(s) (same messageId)` : '';
  const check =
    `${summary.accepted} accepted ${summary.balanced ? '=' : '≠'} ${summary.processed} processed + ` +
    `${summary.deadLettered} dead-lettered + ${summary.stillQueued} still queued${duplicates}`;
  return [
    `Timeline demo finished in ${(summary.durationMs / 1000).toFixed(1)} s against ${summary.broker}`,
    '',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${String(value).padStart(6)}`),
    '',
    `  ${summary.balanced ? 'OK' : 'MISMATCH'}: ${check}`,
  ].join('\n');
}

/** The nightly aggregation (every 3 s in the demo): ticks received once each by messageId, and copies absorbed. */
function aggregationRows(aggregation: AggregationSnapshot | undefined): Array<[string, number | string]> {
  if (aggregation === undefined) return [];
  return [
    ['nightly aggregations run (scheduler, every 3 s here)', aggregation.ticks],
    ['  duplicate ticks absorbed (same messageId)', aggregation.duplicates],
  ];
}

/** `timeline.fanout.retry.500ms` → `500ms`. */
function tierLabel(queue: string): string {
  return queue.slice(queue.lastIndexOf('.') + 1);
}
