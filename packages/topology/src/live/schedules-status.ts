import { ManagementApiError } from './management';
import { nextTicks } from '../model/schedule-times';
import { DEFAULT_SCHEDULER_LEASE_QUEUE, type ScheduleDefinition } from '../model/schedule-schema';
import type { Topology } from '../model/schema';
import { resolveTarget, type TopologyTarget } from './target';

/** One schedule of the file and its next ticks. */
export interface ScheduleSummary {
  readonly name: string;
  /** `cron "0 3 * * *" Europe/Berlin` or `every 30s`. */
  readonly when: string;
  /** `exchange jobs, routing key nightly` or `contract nightly`. */
  readonly target: string;
  readonly catchUp: ScheduleDefinition['catchUp'];
  /** The next tick times, ISO. */
  readonly next: readonly string[];
}

/** The schedulers sharing a lease queue, as the management API shows its consumers (their consumer tags). */
export interface SchedulerLease {
  readonly queue: string;
  /** False when no scheduler ever ran on this vhost with this lease queue. */
  readonly exists: boolean;
  /** The leading scheduler: `host:pid:random` (its consumer tag), or null when none holds the lease. */
  readonly leader: string | null;
  /** The other schedulers, waiting to take over. */
  readonly standby: readonly string[];
}

export interface SchedulesStatus {
  readonly vhost: string;
  readonly lease: SchedulerLease;
  readonly schedules: readonly ScheduleSummary[];
}

/** Each schedule of the file with its next `count` ticks after `now` (no broker needed). */
export function summariseSchedules(topology: Topology, count = 3, now = new Date()): ScheduleSummary[] {
  return Object.entries(topology.schedules ?? {}).map(([name, schedule]) => ({
    name,
    when:
      schedule.every === undefined ? `cron "${schedule.cron}" ${schedule.timeZone}` : `every ${schedule.every / 1000}s`,
    target:
      schedule.contract === undefined
        ? `exchange "${schedule.exchange}", routing key "${schedule.routingKey}"`
        : `contract ${schedule.contract}`,
    catchUp: schedule.catchUp,
    next: nextTicks(schedule, count, now).map((tick) => tick.toISOString()),
  }));
}

interface LeaseQueueAnswer {
  readonly consumer_details?: readonly { consumer_tag?: string; active?: boolean; activity_status?: string }[];
}

/**
 * The file's schedules with their next ticks, and which scheduler process leads (from the lease queue's consumers:
 * the single active one leads). Changes nothing.
 */
export async function schedulesStatus(
  topology: Topology,
  target: TopologyTarget,
  options: { leaseQueue?: string; count?: number; now?: Date } = {},
): Promise<SchedulesStatus> {
  const { management, vhost } = resolveTarget(target);
  await management.overview();
  const queue = options.leaseQueue ?? DEFAULT_SCHEDULER_LEASE_QUEUE;
  const answer = await management
    .request<LeaseQueueAnswer>('GET', management.path('/api/queues/{vhost}/{name}', vhost, queue))
    .catch((error: unknown) => {
      if (error instanceof ManagementApiError && error.status === 404) return undefined;
      throw error;
    });
  const consumers = answer?.consumer_details ?? [];
  const active = (c: (typeof consumers)[number]): boolean => c.active === true || c.activity_status === 'single_active';
  const lease: SchedulerLease = {
    queue,
    exists: answer !== undefined,
    leader: consumers.find(active)?.consumer_tag ?? null,
    standby: consumers.filter((c) => !active(c)).map((c) => c.consumer_tag ?? '?'),
  };
  return { vhost, lease, schedules: summariseSchedules(topology, options.count, options.now) };
}
