import type {
  BindingSpec,
  DesiredTopology,
  ExchangeSpec,
  PolicySpec,
  QueueSpec,
  QueueType,
  WorkQueueLayout,
} from '../src/desired';
import { deadLetterExchangeName, deadLetterQueueName, policyName, retryQueueName } from '../src/names';

/** Options of one hand-built work queue (what a topology file's queue entry says). */
export interface WorkQueueInput {
  readonly name: string;
  readonly type?: QueueType;
  readonly exchange?: string;
  readonly routingKey?: string;
  readonly delays?: readonly number[];
  readonly deadLetter?: boolean;
  readonly limits?: Readonly<Record<string, string | number>>;
}

/**
 * Builds the desired state of work queues by hand, following the BRIEF's naming rules (retry tiers `q.retry.<d>`,
 * `q.dlx` → `q.dlq`, policy `warren.q`). Used until tests go through the model's `deriveTopology`.
 */
export function desiredByHand(queues: readonly WorkQueueInput[]): DesiredTopology {
  const parts = queues.map(workQueue);
  const exchanges = new Map<string, ExchangeSpec>();
  for (const part of parts) for (const e of part.exchanges) exchanges.set(e.name, e);
  return {
    exchanges: [...exchanges.values()],
    queues: parts.flatMap((p) => p.queues),
    bindings: parts.flatMap((p) => p.bindings),
    policies: parts.flatMap((p) => p.policies),
    workQueues: parts.map((p) => p.layout),
  };
}

const exchange = (name: string, type: ExchangeSpec['type']): ExchangeSpec => ({
  name,
  type,
  durable: true,
  autoDelete: false,
  internal: false,
  arguments: {},
});

function queue(name: string, type: QueueType, role: QueueSpec['role'], owner: string, args: QueueSpec['arguments']) {
  const spec: QueueSpec = {
    name,
    type,
    durable: true,
    autoDelete: false,
    exclusive: false,
    arguments: { 'x-queue-type': type, ...args },
    role,
    owner,
  };
  return spec;
}

const binding = (source: string, destination: string, routingKey: string): BindingSpec => ({
  source,
  destination,
  destinationType: 'queue',
  routingKey,
  arguments: {},
});

function workQueue(input: WorkQueueInput) {
  const { name: q, type = 'quorum', delays = [], deadLetter = true, limits = {} } = input;
  const quorum = type === 'quorum';
  const dlx = deadLetterExchangeName(q);
  const tiers = delays.map((delayMs) => ({ delayMs, queue: retryQueueName(q, delayMs) }));
  const tierArgs = (delayMs: number) => ({
    'x-message-ttl': delayMs,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': q,
    ...(quorum ? { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' } : {}),
  });
  const queues = [
    queue(q, type, 'work', q, deadLetter ? { 'x-dead-letter-exchange': dlx } : {}),
    ...tiers.map((t) => queue(t.queue, type, 'retry', q, tierArgs(t.delayMs))),
    ...(deadLetter ? [queue(deadLetterQueueName(q), type, 'dead-letter', q, {})] : []),
  ];
  const exchanges = [
    ...(input.exchange ? [exchange(input.exchange, 'topic')] : []),
    ...(deadLetter ? [exchange(dlx, 'fanout')] : []),
  ];
  const bindings = [
    ...(input.exchange ? [binding(input.exchange, q, input.routingKey ?? '#')] : []),
    ...(deadLetter ? [binding(dlx, deadLetterQueueName(q), '')] : []),
  ];
  const policies: PolicySpec[] =
    Object.keys(limits).length === 0
      ? []
      : [
          {
            name: policyName(q),
            pattern: `^${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
            queue: q,
            queueType: type,
            priority: 100,
            definition: limits,
          },
        ];
  const layout: WorkQueueLayout = {
    queue: q,
    type,
    retryTiers: tiers,
    deadLetterQueue: deadLetter ? deadLetterQueueName(q) : null,
    deadLetterExchange: deadLetter ? dlx : null,
  };
  return { exchanges, queues, bindings, policies, layout };
}
