import type { QueueCounts, TopologyStatus, WorkQueueStatus } from '@warren/topology';

/** `warren status`: one block per work queue; the counts lag the broker by ~5 s (management statistics). */
export function formatStatus(status: TopologyStatus, source: string): string {
  const blocks = status.queues.map(formatWorkQueue);
  return [`Status of ${source} in vhost '${status.vhost}':`, ...blocks.flatMap((block) => ['', ...block])].join('\n');
}

function formatWorkQueue(queue: WorkQueueStatus): string[] {
  const policy = queue.policy === null ? 'no policy' : `policy ${queue.policy}`;
  const definition = queue.effectivePolicy === null ? '' : ` ${JSON.stringify(queue.effectivePolicy)}`;
  return [
    `${queue.name}: ${counts(queue)}`,
    ...queue.tiers.map((tier) => `  retry ${tier.name}: ${counts(tier)}`),
    ...(queue.deadLetter === null ? [] : [`  dead letters ${queue.deadLetter.name}: ${counts(queue.deadLetter)}`]),
    `  ${policy}${definition}`,
  ];
}

function counts(queue: QueueCounts): string {
  if (!queue.exists) return 'missing (warren apply creates it)';
  return `${queue.ready} ready, ${queue.unacked} unacked, ${queue.consumers} consumer(s)`;
}
