import { previousTicks, type ScheduleDefinition } from '@warren/topology';

/** What a leader fires for one schedule at one look at the clock. @internal */
export interface TickPlan {
  /** Tick times to fire now, oldest first. */
  readonly fire: readonly Date[];
  /** Missed ticks left unfired by the catch-up policy (counted among the newest 1,000 due). */
  readonly skipped: number;
  /** The newest due tick: the schedule's cursor after this plan (unchanged when nothing was due). */
  readonly cursor: Date | undefined;
}

/** At most this many due ticks are looked at: a 1-second schedule down for a week must not enumerate 600,000. */
const MAX_SCAN = 1000;

/**
 * The ticks due in (cursor, now]. A tick at most `lateMs` old is on time and fires; older ones were missed (no
 * scheduler ran, or the process was paused) and follow `catchUp`: `skip` fires none of them, `last` the newest,
 * `all` the newest `maxCatchUp`. With no cursor (the first run ever) only on-time ticks fire.
 */
export function planTicks(
  schedule: Pick<ScheduleDefinition, 'cron' | 'every' | 'timeZone' | 'catchUp' | 'maxCatchUp'>,
  cursor: Date | undefined,
  now: Date,
  lateMs: number,
): TickPlan {
  const since = cursor?.getTime() ?? now.getTime() - lateMs - 1;
  const due = previousTicks(schedule, now, MAX_SCAN).filter((tick) => tick.getTime() > since);
  const onTime = due.filter((tick) => now.getTime() - tick.getTime() <= lateMs);
  const missed = due.slice(onTime.length);
  const caughtUp = missed.slice(0, catchUpCount(schedule, missed.length));
  return {
    fire: [...onTime, ...caughtUp].reverse(),
    skipped: missed.length - caughtUp.length,
    cursor: due[0] ?? cursor,
  };
}

function catchUpCount(schedule: Pick<ScheduleDefinition, 'catchUp' | 'maxCatchUp'>, missed: number): number {
  if (schedule.catchUp === 'skip') return 0;
  if (schedule.catchUp === 'last') return Math.min(1, missed);
  return Math.min(schedule.maxCatchUp, missed);
}
