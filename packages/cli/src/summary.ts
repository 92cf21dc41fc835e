import type { DesiredTopology } from '@warren/topology';

export interface TopologySummary {
  readonly exchanges: number;
  readonly queues: number;
  readonly workQueues: number;
  readonly retryQueues: number;
  readonly deadLetterQueues: number;
  readonly bindings: number;
  readonly policies: number;
  /** `2 exchanges, 5 queues (1 work, 3 retry tiers, 1 dead-letter), 3 bindings, 1 policy`. */
  readonly text: string;
}

/** What a topology file declares, counted. */
export function summarise(desired: DesiredTopology): TopologySummary {
  const count = (role: string): number => desired.queues.filter((queue) => queue.role === role).length;
  const counts = {
    exchanges: desired.exchanges.length,
    queues: desired.queues.length,
    workQueues: count('work'),
    retryQueues: count('retry'),
    deadLetterQueues: count('dead-letter'),
    bindings: desired.bindings.length,
    policies: desired.policies.length,
  };
  const text =
    `${plural(counts.exchanges, 'exchange')}, ${plural(counts.queues, 'queue')} (${counts.workQueues} work, ` +
    `${counts.retryQueues} retry, ${counts.deadLetterQueues} dead-letter${delayLevels(desired)}), ` +
    `${plural(counts.bindings, 'binding')}, ` +
    `${plural(counts.policies, 'policy', 'policies')}`;
  return { ...counts, text };
}

/** `, 22 delay-ladder levels` when the file schedules messages (README, "Scheduled delivery"). */
const delayLevels = (desired: DesiredTopology): string => {
  const n = desired.queues.filter((queue) => queue.role === 'delay').length;
  return n === 0 ? '' : `, ${n} delay-ladder levels`;
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
