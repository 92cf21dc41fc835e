import { layoutOf } from './derive';
import type { DesiredTopology, WorkQueueLayout } from './desired';
import { suggestion } from './did-you-mean';
import { WarrenError } from '@warren/core';
import type { Topology } from './schema';

/** The queue is not a work queue of the topology. Code `UNKNOWN_QUEUE`; `knownQueues` lists the ones there are. */
export class UnknownQueueError extends WarrenError {
  readonly queue: string;
  readonly knownQueues: readonly string[];

  constructor(queue: string, knownQueues: readonly string[]) {
    const known = knownQueues.length === 0 ? 'the topology has none' : `known: ${knownQueues.join(', ')}`;
    super(
      'UNKNOWN_QUEUE',
      `${JSON.stringify(queue)} is not a work queue of the topology (${known})${suggestion(queue, knownQueues)}`,
    );
    this.queue = queue;
    this.knownQueues = knownQueues;
  }
}

/**
 * A work queue's retry tiers (in order) and dead-letter objects, from a parsed topology or its derived state.
 *
 * @throws UnknownQueueError when `queue` is not one of the topology's work queues (tiers and DLQs are not).
 */
export function workQueueLayout(topology: Topology | DesiredTopology, queue: string): WorkQueueLayout {
  if (isDesired(topology)) {
    const layout = topology.workQueues.find((q) => q.queue === queue);
    if (layout === undefined)
      throw new UnknownQueueError(
        queue,
        topology.workQueues.map((q) => q.queue),
      );
    return layout;
  }
  const definition = Object.hasOwn(topology.queues, queue) ? topology.queues[queue] : undefined;
  if (definition === undefined) throw new UnknownQueueError(queue, Object.keys(topology.queues).sort());
  return layoutOf(queue, definition);
}

const isDesired = (topology: Topology | DesiredTopology): topology is DesiredTopology => 'workQueues' in topology;
