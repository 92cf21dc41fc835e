import { Lease } from './Lease';
import { resolveSchedulerOptions, type SchedulerOptions } from './options';
import { Scheduler } from './Scheduler';
import { logScheduler } from './schedulerLog';
import { TickLog } from './TickLog';

/**
 * Creates a scheduler and starts competing for the lease (in the background). Run one in every replica: exactly
 * one leads and fires each tick once. Throws `WarrenError` (`INVALID_OPTION`, `INVALID_URL`) on bad options.
 *
 * @example
 * const topology = await loadTopologyFile('topology.yaml');
 * const publisher = createPublisher({ urls: process.env.AMQP_URL! });
 * const scheduler = createScheduler({ urls: process.env.AMQP_URL!, topology, publisher,
 *   payloads: { 'nightly-aggregate': ({ tickAt }) => ({ day: tickAt.toISOString().slice(0, 10) }) } });
 * process.on('SIGTERM', () => void scheduler.close());
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const resolved = resolveSchedulerOptions(options);
  const lease = new Lease({
    urls: resolved.urls,
    queue: resolved.leaseQueue,
    consumerTag: resolved.identity,
    connectionName: `${options.name ?? 'warren-scheduler'} lease`,
    heartbeatSeconds: options.heartbeatSeconds ?? 5,
    reconnectMs: (options.reconnectSeconds ?? 1) * 1000,
    reseedMs: 5000,
    fenceTimeoutMs: 1000,
  });
  const scheduler = new Scheduler(resolved, lease, new TickLog(`${resolved.leaseQueue}.ticks`));
  if (options.logger) logScheduler(scheduler, options.logger, options.name);
  lease.start();
  return scheduler;
}
