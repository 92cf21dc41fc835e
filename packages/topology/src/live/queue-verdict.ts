/**
 * A work queue seen from outside (`warren status`): `stalled` when it has ready messages and consumers but the
 * management API's last sample (~5 s) shows nothing delivered and nothing acked; `unconsumed` when it has ready
 * messages and no consumer; `ok` otherwise (empty, or moving).
 */
export type QueueVerdict = 'ok' | 'stalled' | 'unconsumed';

/** What the verdict reads: the counts and the rates of the last sample (messages per second). */
export interface QueueActivity {
  readonly exists: boolean;
  readonly ready: number;
  readonly consumers: number;
  readonly deliverRate: number;
  readonly ackRate: number;
}

export function queueVerdict(queue: QueueActivity): QueueVerdict {
  if (!queue.exists || queue.ready === 0) return 'ok';
  if (queue.consumers === 0) return 'unconsumed';
  return queue.deliverRate === 0 && queue.ackRate === 0 ? 'stalled' : 'ok';
}
