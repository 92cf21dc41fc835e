import { deleteExchangeTask, deleteQueueTask, runTasks } from './declare';
import type { DesiredTopology } from '../model/desired';
import { inParallel } from './in-parallel';
import { isDelayLadderObject } from '../model/delay-ladder';
import { ManagementApiError } from './management';
import { resolveTarget, type TopologyTarget } from './target';
import { openAmqp } from './open-amqp';

/**
 * Deletes every queue, exchange and Warren policy the desired topology declares, messages included: for tests and
 * demo cleanup, never called by `apply`. Objects already gone are skipped.
 */
export async function deleteTopology(desired: DesiredTopology, target: TopologyTarget): Promise<void> {
  const { management, urls, tls } = resolveTarget(target);
  // Both ends answer before the first delete: queues gone but their policies left would be half a cleanup.
  if (desired.policies.length > 0) await management.overview();
  const model = await openAmqp(urls, 'warren-topology', tls);
  try {
    await runTasks(
      model,
      // The ladder is shared by every file of the vhost and may hold other services' scheduled messages.
      desired.queues.filter((q) => !isDelayLadderObject(q.name)).map((q) => deleteQueueTask(q.name)),
      { ignoreNotFound: true },
    );
    await runTasks(
      model,
      desired.exchanges.filter((e) => !isDelayLadderObject(e.name)).map((e) => deleteExchangeTask(e.name)),
      // One at a time: RabbitMQ 3.10's channel crashed (function_clause in rabbit_exchange:callback/4, removing
      // bindings) deleting an exchange while another bound to it was being deleted, and closed the connection.
      { ignoreNotFound: true, channels: 1 },
    );
  } finally {
    await model.close().catch(() => undefined);
  }
  // Policies last: removing a policy that still matches a queue makes the broker update that queue (~30 ms each).
  await inParallel(desired.policies, 8, (policy) =>
    management.deletePolicy(policy.name).catch((error: unknown) => {
      if (!(error instanceof ManagementApiError && error.status === 404)) throw error;
    }),
  );
}
