import { Cron } from 'croner';
import type { ScheduleDefinition } from './schedule-schema';

/** When a schedule is due: the part of a schedule the clock needs. */
export type ScheduleTiming = Pick<ScheduleDefinition, 'cron' | 'every' | 'timeZone'>;

/**
 * The first tick strictly after `after`, or `undefined` when the expression never fires again. Interval ticks are
 * multiples of the interval since the Unix epoch, so every replica computes the same tick times (and messageIds).
 */
export function nextTick(timing: ScheduleTiming, after: Date): Date | undefined {
  if (timing.every !== undefined) return new Date((Math.floor(after.getTime() / timing.every) + 1) * timing.every);
  return cronOf(timing).nextRun(after) ?? undefined;
}

/** The next `count` tick times after `from` (for `warren validate`/`plan`/`schedules`). */
export function nextTicks(timing: ScheduleTiming, count: number, from: Date = new Date()): Date[] {
  const ticks: Date[] = [];
  let after = from;
  while (ticks.length < count) {
    const next = nextTick(timing, after);
    if (next === undefined) break;
    ticks.push(next);
    after = next;
  }
  return ticks;
}

const CACHE = new Map<string, Cron>();

function cronOf(timing: ScheduleTiming): Cron {
  const key = `${timing.cron}\u0000${timing.timeZone}`;
  let cron = CACHE.get(key);
  if (cron === undefined) {
    cron = new Cron(timing.cron ?? '', { paused: true, mode: '5-or-6-parts', timezone: timing.timeZone });
    CACHE.set(key, cron);
  }
  return cron;
}

/** Up to `count` ticks at or before `at`, newest first (for catching up missed ticks). */
export function previousTicks(timing: ScheduleTiming, at: Date, count: number): Date[] {
  if (timing.every === undefined) return cronOf(timing).previousRuns(count, new Date(at.getTime() + 1));
  const newest = Math.floor(at.getTime() / timing.every) * timing.every;
  return Array.from({ length: count }, (_, i) => new Date(newest - i * timing.every!)).filter((d) => d.getTime() >= 0);
}
