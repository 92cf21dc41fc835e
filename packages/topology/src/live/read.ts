import {
  ManagementApiError,
  type LiveBinding,
  type LiveExchange,
  type LivePolicy,
  type LiveQueue,
  type ManagementClient,
} from './management';

/** The live objects of one vhost, as the management API reports them (default exchange, `amq.*` and default bindings removed). */
export interface LiveTopology {
  readonly brokerVersion: string;
  readonly exchanges: readonly LiveExchange[];
  readonly queues: readonly LiveQueue[];
  readonly bindings: readonly LiveBinding[];
  readonly policies: readonly LivePolicy[];
}

/**
 * Columns of `GET /api/queues/{vhost}` that plan and export need, read without statistics: on a vhost of
 * thousands of queues the message counts and rates are most of the broker's work (and `policy` /
 * `effective_policy_definition`, which need them, are not used: Warren compares the policies themselves).
 */
const QUEUE_COLUMNS = ['name', 'type', 'durable', 'auto_delete', 'exclusive', 'arguments'];

/** Reads a whole vhost in five requests (whole-vhost lists, never one request per object). */
export async function readLiveTopology(management: ManagementClient): Promise<LiveTopology> {
  // Who answers first: a web server that is not RabbitMQ answers 404 to the vhost's lists too.
  const overview = await management.overview();
  const [exchanges, queues, bindings, policies] = await Promise.all([
    management.exchanges({ disableStats: true }),
    management.queues(QUEUE_COLUMNS, { disableStats: true }),
    management.bindings(),
    management.policies(),
  ]).catch((error: unknown) => {
    throw explain(error, management.vhost);
  });
  return {
    brokerVersion: overview.rabbitmq_version,
    exchanges: exchanges.filter((e) => e.name !== '' && !e.name.startsWith('amq.')),
    queues,
    bindings: bindings.filter((b) => b.source !== ''),
    policies,
  };
}

/** The management API's answers that have one usual meaning for a whole-vhost read. */
function explain(error: unknown, vhost: string): unknown {
  if (!(error instanceof ManagementApiError)) return error;
  const because = { cause: error };
  if (error.status === 404)
    return new ManagementApiError(
      `The vhost '${vhost}' does not exist on the broker (management API: 404). Create it (rabbitmqctl add_vhost) ` +
        `or pass the right one (--vhost, or the AMQP URL's path).`,
      404,
      because,
    );
  if (error.status === 401 || error.status === 403)
    return new ManagementApiError(
      `The management API refused the user (HTTP ${error.status}): check the credentials of the URL; the user needs ` +
        `the 'management' tag to plan and 'policymaker' to apply, and permissions on vhost '${vhost}'.`,
      error.status,
      because,
    );
  return error;
}
