import type { DesiredTopology } from '../model/desired';
import type { LiveQueue } from './management';
import { queueVerdict, type QueueVerdict } from './queue-verdict';
import { resolveTarget, type TopologyTarget } from './target';

/** One queue's counts, as the management API reports them (they lag the broker by ~5 s). */
export interface QueueCounts {
  readonly name: string;
  /** False when the queue does not exist on the broker (counts are then 0). */
  readonly exists: boolean;
  readonly ready: number;
  readonly unacked: number;
  readonly consumers: number;
}

/** A work queue of the file, its retry tiers and its dead-letter queue, live. */
export interface WorkQueueStatus extends QueueCounts {
  readonly tiers: readonly QueueCounts[];
  /** Null when the queue has `deadLetter: false`. */
  readonly deadLetter: QueueCounts | null;
  /** The policy the broker applies to the work queue (a Warren policy, or another with a higher priority). */
  readonly policy: string | null;
  readonly effectivePolicy: Readonly<Record<string, unknown>> | null;
  /** `stalled`: ready messages and consumers, but nothing delivered or acked in the last sample (see `queueVerdict`). */
  readonly verdict: QueueVerdict;
}

export interface TopologyStatus {
  readonly vhost: string;
  readonly queues: readonly WorkQueueStatus[];
  /**
   * The delay ladder's levels, longest first (empty when nothing is scheduled). `ready` counts every message the
   * level holds, including one being dead-lettered to the next hop (level 00 keeps a due message that no binding
   * matches until one does).
   */
  readonly delayLevels: readonly QueueCounts[];
}

const COLUMNS = [
  'name',
  'messages',
  'messages_ready',
  'messages_unacknowledged',
  'consumers',
  'policy',
  'effective_policy_definition',
  'message_stats',
];

/**
 * Per work queue of the file: ready, unacked and consumers of the queue, of each retry tier and of the DLQ, and the
 * policy in effect. One whole-vhost request (never one per queue). Changes nothing.
 */
export async function topologyStatus(desired: DesiredTopology, target: TopologyTarget): Promise<TopologyStatus> {
  const { management, vhost } = resolveTarget(target);
  await management.overview(); // a server that is not RabbitMQ is told apart from a missing vhost
  const live = new Map((await management.queues(COLUMNS)).map((q) => [q.name, q]));
  const queues = desired.workQueues.map((layout): WorkQueueStatus => {
    const work = live.get(layout.queue);
    const own = counts(layout.queue, work);
    const deliverRate = work?.message_stats?.deliver_get_details?.rate ?? 0;
    const ackRate = work?.message_stats?.ack_details?.rate ?? 0;
    return {
      ...own,
      tiers: layout.retryTiers.map((tier) => counts(tier.queue, live.get(tier.queue))),
      deadLetter:
        layout.deadLetterQueue === null ? null : counts(layout.deadLetterQueue, live.get(layout.deadLetterQueue)),
      policy: work?.policy ?? null,
      effectivePolicy: work?.effective_policy_definition ?? null,
      verdict: queueVerdict({ ...own, deliverRate, ackRate }),
    };
  });
  const delayLevels = desired.queues
    .filter((q) => q.role === 'delay')
    .map((q) => {
      const level = live.get(q.name);
      return { ...counts(q.name, level), ready: level?.messages ?? 0, unacked: 0 };
    });
  return { vhost, queues, delayLevels };
}

function counts(name: string, queue: LiveQueue | undefined): QueueCounts {
  return {
    name,
    exists: queue !== undefined,
    ready: queue?.messages_ready ?? 0,
    unacked: queue?.messages_unacknowledged ?? 0,
    consumers: queue?.consumers ?? 0,
  };
}
