import { nextTick, previousTicks, type ScheduleDefinition } from '@warren/topology';

/** What a leader fires for one schedule at one look at the clock. @internal */
export interface TickPlan {
  /** Tick times to fire now, oldest first. */
  readonly fire: readonly Date[];
  /** Missed ticks left unfired by the catch-up policy (past 1,000 due, a lower bound). */
  readonly skipped: number;
  /** The newest due tick: the schedule's cursor after this plan (unchanged when nothing was due). */
  readonly cursor: Date | undefined;
}

/** At most this many due ticks are looked at: a 1-second schedule down for a week must not enumerate 600,000. */
const MAX_SCAN = 1000;

type Schedule = Pick<ScheduleDefinition, 'cron' | 'every' | 'timeZone' | 'catchUp' | 'maxCatchUp'>;

/**
 * The ticks due in (cursor, now]. A tick at most `lateMs` old is on time and fires; older ones were missed (no
 * scheduler ran, or the process was paused) and follow `catchUp`: `skip` fires none of them, `last` the newest,
 * `all` the newest `maxCatchUp`. With no cursor (the first run ever) only on-time ticks fire.
 */
export function planTicks(schedule: Schedule, cursor: Date | undefined, now: Date, lateMs: number): TickPlan {
  const { due, beyond } = dueTicks(schedule, cursor, now, lateMs);
  const onTime = due.filter((tick) => now.getTime() - tick.getTime() <= lateMs);
  const missed = due.slice(onTime.length);
  const caughtUp = missed.slice(0, catchUpCount(schedule, missed.length));
  return {
    fire: [...onTime, ...caughtUp].reverse(),
    skipped: missed.length - caughtUp.length + beyond,
    cursor: due[0] ?? cursor,
  };
}

/**
 * The due ticks, newest first: walked forward from the cursor (one step in the usual case), or, when more than
 * MAX_SCAN are due, only the newest few the policy can fire (`beyond` counts the rest, at least).
 */
function dueTicks(
  schedule: Schedule,
  cursor: Date | undefined,
  now: Date,
  lateMs: number,
): { due: Date[]; beyond: number } {
  if (cursor === undefined) {
    const since = now.getTime() - lateMs;
    return { due: previousTicks(schedule, now, 5).filter((tick) => tick.getTime() >= since), beyond: 0 };
  }
  const forward: Date[] = [];
  for (let after = cursor; forward.length < MAX_SCAN;) {
    const next = nextTick(schedule, after);
    if (next === undefined || next.getTime() > now.getTime()) return { due: forward.reverse(), beyond: 0 };
    forward.push(next);
    after = next;
  }
  const newest = previousTicks(schedule, now, catchUpCount(schedule, MAX_SCAN) + 5).filter(
    (tick) => tick.getTime() > cursor.getTime(),
  );
  return { due: newest, beyond: MAX_SCAN - newest.length };
}

function catchUpCount(schedule: Pick<ScheduleDefinition, 'catchUp' | 'maxCatchUp'>, missed: number): number {
  if (schedule.catchUp === 'skip') return 0;
  if (schedule.catchUp === 'last') return Math.min(1, missed);
  return Math.min(schedule.maxCatchUp, missed);
}
