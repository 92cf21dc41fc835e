import type { LiveBinding, LiveExchange, LivePolicy, LiveQueue, ManagementClient } from './management';

/** The live objects of one vhost, as the management API reports them (default exchange, `amq.*` and default bindings removed). */
export interface LiveTopology {
  readonly brokerVersion: string;
  readonly exchanges: readonly LiveExchange[];
  readonly queues: readonly LiveQueue[];
  readonly bindings: readonly LiveBinding[];
  readonly policies: readonly LivePolicy[];
}

/** Columns of `GET /api/queues/{vhost}` that plan and export need; keeps the reply small on big vhosts. */
const QUEUE_COLUMNS = [
  'name',
  'vhost',
  'type',
  'durable',
  'auto_delete',
  'exclusive',
  'arguments',
  'policy',
  'effective_policy_definition',
];

/** Reads a whole vhost in five requests (whole-vhost lists, never one request per object). */
export async function readLiveTopology(management: ManagementClient): Promise<LiveTopology> {
  const [overview, exchanges, queues, bindings, policies] = await Promise.all([
    management.overview(),
    management.exchanges(),
    management.queues(QUEUE_COLUMNS),
    management.bindings(),
    management.policies(),
  ]);
  return {
    brokerVersion: overview.rabbitmq_version,
    exchanges: exchanges.filter((e) => e.name !== '' && !e.name.startsWith('amq.')),
    queues,
    bindings: bindings.filter((b) => b.source !== ''),
    policies,
  };
}
