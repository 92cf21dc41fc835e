import type { AggregationSnapshot } from './aggregation';
import type { LoadCounts } from './load';
import { NO_PREVIEWS, type PreviewCounts } from './previews';
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
  /** The scheduled reminder: its delay, and how late it arrived after its due time (null: not delivered). */
  readonly reminder: { readonly inSeconds: number; readonly lateMs: number | null };
  /** `accepted === processed + deadLettered + stillQueued - duplicates`: no accepted post lost. */
  readonly balanced: boolean;
  /** `GET /posts/:id/preview`, answered by the worker through request/reply. */
  readonly previews: PreviewCounts;
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
  readonly previews?: PreviewCounts;
  /** The delay of the reminder the demo scheduled. @default 0 (none) */
  readonly reminderSeconds?: number;
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
    reminder: { inSeconds: input.reminderSeconds ?? 0, lateMs: worker.reminders[0] ?? null },
    duplicates: Math.max(0, counted - accepted),
    balanced: counted >= accepted,
    previews: input.previews ?? NO_PREVIEWS,
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
    ['previews asked (GET /posts/:id/preview, request/reply)', summary.previews.asked],
    ['  answered by the worker (200)', summary.previews.ok],
    ['  unknown to the worker: RemoteError POST_NOT_FOUND (404)', summary.previews.notFound],
    ...Object.entries(summary.previews.failed).map(([status, n]): [string, number] => [`  failed: ${status}`, n]),
    [`reminder scheduled for +${summary.reminder.inSeconds} s, ms after due`, summary.reminder.lateMs ?? 'never'],
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
    `  Request/reply: ${previewLine(summary.previews)}`,
    `  ${reminderLine(summary.reminder)}`,
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

function previewLine(p: PreviewCounts): string {
  const failed = Object.values(p.failed).reduce((a, b) => a + b, 0);
  return `${p.ok} of ${p.asked} previews answered by the worker, ${p.notFound} not found (RemoteError → 404), ${failed} failed`;
}

/** The scheduled reminder, in one line: on time means no earlier than due and within a second and a half. */
function reminderLine({ inSeconds, lateMs }: DemoSummary['reminder']): string {
  if (lateMs === null) return `reminder (delay ${inSeconds} s): not delivered yet`;
  const verdict = lateMs >= 0 && lateMs <= 1_500 ? 'on time' : lateMs < 0 ? 'EARLY' : 'LATE';
  return `reminder (delay ${inSeconds} s) delivered ${(lateMs / 1000).toFixed(3)} s after its due time: ${verdict}`;
}
