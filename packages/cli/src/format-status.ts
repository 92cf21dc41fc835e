import type { QueueCounts, TopologyStatus, WorkQueueStatus } from '@warren/topology';

/** `warren status`: one block per work queue; the counts lag the broker by ~5 s (management statistics). */
export function formatStatus(status: TopologyStatus, source: string): string {
  const blocks = [...status.queues.map(formatWorkQueue), ...formatDelayLadder(status.delayLevels)];
  return [`Status of ${source} in vhost '${status.vhost}':`, ...blocks.flatMap((block) => ['', ...block])].join('\n');
}

function formatWorkQueue(queue: WorkQueueStatus): string[] {
  const policy = queue.policy === null ? 'no policy' : `policy ${queue.policy}`;
  const definition = queue.effectivePolicy === null ? '' : ` ${JSON.stringify(queue.effectivePolicy)}`;
  return [
    `${queue.name}: ${counts(queue)}${VERDICTS[queue.verdict]}`,
    ...queue.tiers.map((tier) => `  retry ${tier.name}: ${counts(tier)}`),
    ...(queue.deadLetter === null ? [] : [`  dead letters ${queue.deadLetter.name}: ${counts(queue.deadLetter)}`]),
    `  ${policy}${definition}`,
  ];
}

const VERDICTS: Readonly<Record<WorkQueueStatus['verdict'], string>> = {
  ok: '',
  stalled: ' — stalled: ready messages and consumers, nothing delivered or acked in the last sample (~5 s)',
  unconsumed: ' — no consumer for its ready messages',
};

/** The ladder in one block: the total waiting, then only the levels that hold messages (22 lines would drown it). */
function formatDelayLadder(levels: readonly QueueCounts[]): string[][] {
  if (levels.length === 0) return [];
  const waiting = levels.reduce((sum, level) => sum + level.ready + level.unacked, 0);
  const missing = levels.filter((level) => !level.exists).length;
  const busy = levels.filter((level) => level.exists && level.ready + level.unacked > 0);
  return [
    [
      `delay ladder: ${waiting} scheduled message(s) waiting in ${levels.length} levels` +
        (missing > 0 ? `, ${missing} level(s) missing (warren apply creates them)` : ''),
      ...busy.map((level) => `  ${level.name}: ${level.ready + level.unacked} waiting`),
    ],
  ];
}

function counts(queue: QueueCounts): string {
  if (!queue.exists) return 'missing (warren apply creates it)';
  return `${queue.ready} ready, ${queue.unacked} unacked, ${queue.consumers} consumer(s)`;
}
