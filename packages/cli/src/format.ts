import {
  policyPatternQueues,
  type ApplyResult,
  type DeadLetterListing,
  type ParkedMessage,
  type PlanAction,
  type PlanItem,
  type PropertyDiff,
  type PurgeResult,
  type ReplayResult,
  type TopologyPlan,
} from '@warren/topology';
import { plain, type Colors } from './colors';

/** The symbol of each plan action, as in terraform's plan output. */
const SYMBOLS: Readonly<Record<PlanAction, string>> = {
  create: '+',
  unchanged: '=',
  update: '~',
  delete: '-',
  drift: '!',
};

/** A value in a diff: strings quoted, absent values named. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string') return `'${value}'`;
  return JSON.stringify(value);
}

export function formatDifference(diff: PropertyDiff): string {
  return patternChange(diff) ?? `${diff.property} live ${formatValue(diff.live)} wanted ${formatValue(diff.wanted)}`;
}

/** A grouped policy's pattern lists up to ~1,000 bytes of names: show the queues it gains and loses instead. */
function patternChange(diff: PropertyDiff): string | undefined {
  if (diff.property !== 'pattern' || typeof diff.live !== 'string' || typeof diff.wanted !== 'string') return undefined;
  const [live, wanted] = [policyPatternQueues(diff.live), policyPatternQueues(diff.wanted)];
  if (!live || !wanted) return undefined;
  const added = wanted.filter((q) => !live.includes(q));
  const removed = live.filter((q) => !wanted.includes(q));
  const parts = [
    ...(added.length > 0 ? [`adds ${listed(added)}`] : []),
    ...(removed.length > 0 ? [`removes ${listed(removed)}`] : []),
  ];
  return parts.length > 0 ? `queues: ${parts.join(', ')}` : undefined;
}

/** `a, b, c and 27 more`. */
function listed(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/**
 * `+ create queue orders (quorum)`, `! drift queue x: x-queue-type live 'classic' wanted 'quorum'`; with colours,
 * `+` is green, `~` yellow, `-` and `!` red.
 */
export function formatPlanItem(item: PlanItem, colors: Colors = plain): string {
  const head = `${SYMBOLS[item.action]} ${item.action} ${item.kind} ${item.name}${detail(item)}`;
  const text = item.differences.length === 0 ? head : `${head}: ${item.differences.map(formatDifference).join('; ')}`;
  return paint(item.action, colors)(text);
}

function paint(action: PlanAction, colors: Colors): (text: string) => string {
  if (action === 'create') return colors.green;
  if (action === 'update') return colors.yellow;
  if (action === 'delete' || action === 'drift') return colors.red;
  return (text) => text;
}

function detail(item: PlanItem): string {
  if (item.action !== 'create' || !item.spec) return '';
  if (item.kind === 'queue' || item.kind === 'exchange') return ` (${item.spec.type})`;
  if (item.kind === 'policy') {
    const definition = Object.entries(item.spec.definition).map(([key, value]) => `${key} ${formatValue(value)}`);
    return ` (for ${listed(item.spec.queues)}: ${definition.join(', ')})`;
  }
  return '';
}

/** Unrelated leftovers in a shared vhost can number hundreds: the plan shows a few, `--json` has them all. */
const MAX_EXTRA = 10;

/** The whole plan, one object per line, then a summary line. */
export function formatPlan(plan: TopologyPlan, source: string, colors: Colors = plain): string {
  const lines = [`Plan for ${source} against vhost '${plan.vhost}' (RabbitMQ ${plan.brokerVersion}):`, ''];
  lines.push(...plan.items.map((item) => `  ${formatPlanItem(item, colors)}`));
  if (plan.extra.length > 0) {
    lines.push('', 'Live objects related to the file but not in it (left alone):');
    lines.push(...plan.extra.slice(0, MAX_EXTRA).map((extra) => `  ? ${extra.kind} ${extra.name}`));
    if (plan.extra.length > MAX_EXTRA)
      lines.push(`  ... and ${plan.extra.length - MAX_EXTRA} more (--json lists them all)`);
  }
  lines.push('', planSummary(plan));
  return lines.join('\n');
}

export function planSummary(plan: TopologyPlan): string {
  const { create, update, delete: remove, unchanged, drift } = plan.counts;
  const counts = `${create} to create, ${update} to update, ${remove} to delete, ${unchanged} unchanged`;
  if (drift > 0) return `Plan: ${counts}, ${drift} drifted: apply would refuse (see below).`;
  if (!plan.hasChanges) return `No changes: the broker already matches the file (${unchanged} objects).`;
  return `Plan: ${counts}.`;
}

/** What apply did; on a second run, that there was nothing to do. */
export function formatApply(result: ApplyResult, source: string, colors: Colors = plain): string {
  const { created, updated, deleted, unchanged } = result.counts;
  if (!result.changed) {
    return `No changes: the broker already matches ${source} (${unchanged} objects unchanged). Nothing was done.`;
  }
  return [
    `Applied ${source} to vhost '${result.plan.vhost}' (RabbitMQ ${result.plan.brokerVersion}):`,
    '',
    ...result.changes.map((item) => `  ${formatPlanItem(item, colors)}`),
    '',
    `Apply complete: ${created} created, ${updated} updated, ${deleted} deleted, ${unchanged} unchanged.`,
  ].join('\n');
}

/** The parked messages, one block each. */
export function formatListing(listing: DeadLetterListing): string {
  const header =
    listing.total === 0
      ? `${listing.deadLetterQueue} is empty.`
      : `${listing.deadLetterQueue}: ${listing.total} message(s) parked; showing ${listing.messages.length}` +
        ` (left in place).`;
  return [header, ...listing.messages.flatMap((message, i) => ['', ...formatParked(message, i + 1)])].join('\n');
}

function formatParked(message: ParkedMessage, index: number): string[] {
  const fields: Array<[string, unknown]> = [
    ['reason', message.reason],
    ['error', message.error],
    ['attempts', message.attempts],
    ['first failure', message.firstFailureAt],
    ['last failure', message.lastFailureAt],
    ['original exchange', message.originalExchange],
    ['original routing key', message.originalRoutingKey],
    ['content', `${message.bytes} bytes${message.contentType ? `, ${message.contentType}` : ''}`],
  ];
  const deaths = message.deaths.map(
    (death) => `x-death: ${death.reason} in '${death.queue}' ×${death.count}${death.time ? ` at ${death.time}` : ''}`,
  );
  return [
    `#${index} ${message.messageId ?? '(no messageId)'} (dead-lettered by ${message.source === 'warren' ? 'a Warren consumer' : 'the broker'})`,
    ...fields
      .filter(([, value]) => value !== null && value !== '')
      .map(([name, value]) => `  ${name}: ${String(value)}`),
    ...deaths.map((text) => `  ${text}`),
    ...(message.body === undefined ? [] : [`  body: ${truncate(message.body, MAX_BODY)}`]),
  ];
}

/** Characters of a body `dlq list --show-body` prints; `--json` has it all. */
const MAX_BODY = 500;

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;

export function formatReplay(result: ReplayResult): string {
  const skipped = result.skipped > 0 ? `; ${result.skipped} left in ${result.deadLetterQueue} (other reasons)` : '';
  return `Moved ${result.moved} message(s) from ${result.deadLetterQueue} to ${result.queue}${skipped}.`;
}

export function formatPurge(result: PurgeResult): string {
  return `Purged ${result.purged} message(s) from ${result.deadLetterQueue}.`;
}

/** `--json` output: the library's structured result, two-space indented. */
export const json = (value: unknown): string => JSON.stringify(value, null, 2);
