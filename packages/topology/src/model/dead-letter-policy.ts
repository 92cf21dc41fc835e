import type { QueueDefinition } from './schema';
import { deadLetterQueueName } from './names';
import type { QueuePolicy } from './policy-groups';

/**
 * Policy `delivery-limit` value meaning "no limit" (RabbitMQ 4.0+; 3.x refuses it with "-1 is not a valid delivery
 * limit" and has no default limit, so a 3.x broker gets no such key: see `policiesForBroker`).
 */
export const NO_DELIVERY_LIMIT = -1;

/**
 * The policy of each quorum dead-letter queue: no delivery limit. RabbitMQ 4.0 gives every quorum queue a default
 * limit of 20, and 4.0–4.2 count every `basic.nack(requeue)` against it — the way `warren dlq list` and the messages a
 * replay skips go back. A dead-letter queue has no dead-letter exchange of its own, so at the limit the broker would
 * drop the parked message: a read-only command would destroy it. Nobody consumes a DLQ, so it needs no limit.
 */
export function deadLetterQueuePolicies(queues: readonly (readonly [string, QueueDefinition])[]): QueuePolicy[] {
  return queues
    .filter(([, queue]) => queue.deadLetter && queue.type === 'quorum')
    .map(([name]) => ({
      queue: deadLetterQueueName(name),
      queueType: 'quorum',
      definition: { 'delivery-limit': NO_DELIVERY_LIMIT },
    }));
}
