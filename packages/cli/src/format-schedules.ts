import { summariseSchedules, type SchedulesStatus, type ScheduleSummary, type Topology } from '@warren/topology';
import { line, type CliIo } from './io';

/** `validate` and `plan`: each schedule of the file and its next ticks, after the result (nothing without schedules). */
export function printNextTicks(topology: Topology, io: CliIo): void {
  const schedules = summariseSchedules(topology);
  if (schedules.length > 0) line(io.stdout, ['Schedules (next ticks):', ...schedules.map(formatSchedule)].join('\n'));
}

function formatSchedule(schedule: ScheduleSummary): string {
  return (
    `  ${schedule.name}: ${schedule.when} → ${schedule.target}, catch-up ${schedule.catchUp}\n` +
    `    next: ${schedule.next.join(', ') || 'never'}`
  );
}

/** `warren schedules`: who leads, then each schedule and its next ticks. */
export function formatSchedulesStatus(status: SchedulesStatus, file: string): string {
  const { lease } = status;
  const leader = !lease.exists
    ? `no scheduler has run (lease queue ${lease.queue} does not exist)`
    : lease.leader === null
      ? `no scheduler leads (lease queue ${lease.queue}, ${lease.standby.length} waiting)`
      : `led by ${lease.leader} (lease queue ${lease.queue}; standby: ${lease.standby.join(', ') || 'none'})`;
  const header = `Schedules of ${file} on vhost ${status.vhost}: ${leader}`;
  if (status.schedules.length === 0) return `${header}\n  (the file has no schedules)`;
  return [header, ...status.schedules.map(formatSchedule)].join('\n');
}
