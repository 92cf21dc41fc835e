import { parseTopology } from '@warren/topology';
import { planTicks } from '../src/planTicks';

const scheduleOf = (settings: Record<string, unknown>) =>
  parseTopology({ exchanges: { jobs: { type: 'topic' } }, schedules: { s: { exchange: 'jobs', ...settings } } })
    .schedules!.s!;
const at = (iso: string): Date => new Date(iso);
const iso = (dates: readonly Date[]): string[] => dates.map((d) => d.toISOString());

describe('planTicks: the due ticks and the catch-up policy', () => {
  const everySecond = scheduleOf({ every: '1s' });

  it('fires the tick just due, once', () => {
    const plan = planTicks(everySecond, at('2026-01-01T00:00:04Z'), at('2026-01-01T00:00:05.020Z'), 1000);
    expect(iso(plan.fire)).toEqual(['2026-01-01T00:00:05.000Z']);
    expect(plan.cursor).toEqual(at('2026-01-01T00:00:05Z'));
    expect(planTicks(everySecond, plan.cursor, at('2026-01-01T00:00:05.900Z'), 1000).fire).toEqual([]);
  });

  it('on a first run ever, fires only a tick due within lateMs', () => {
    expect(iso(planTicks(everySecond, undefined, at('2026-01-01T00:00:05.300Z'), 1000).fire)).toEqual([
      '2026-01-01T00:00:05.000Z',
    ]);
  });

  it('after a pause of 10 s: skip fires nothing stale, last fires the newest missed, all fires up to maxCatchUp', () => {
    const cursor = at('2026-01-01T00:00:00Z');
    const now = at('2026-01-01T00:00:10.500Z'); // 00:00:10 is on time; 1..9 were missed
    const skip = planTicks(scheduleOf({ every: '1s', catchUp: 'skip' }), cursor, now, 1000);
    expect(iso(skip.fire)).toEqual(['2026-01-01T00:00:10.000Z']);
    expect(skip.skipped).toBe(9);
    const last = planTicks(scheduleOf({ every: '1s' }), cursor, now, 1000);
    expect(iso(last.fire)).toEqual(['2026-01-01T00:00:09.000Z', '2026-01-01T00:00:10.000Z']);
    expect(last.skipped).toBe(8);
    const all = planTicks(scheduleOf({ every: '1s', catchUp: 'all', maxCatchUp: 3 }), cursor, now, 1000);
    expect(iso(all.fire)).toEqual([
      '2026-01-01T00:00:07.000Z',
      '2026-01-01T00:00:08.000Z',
      '2026-01-01T00:00:09.000Z',
      '2026-01-01T00:00:10.000Z',
    ]);
    expect(all.cursor).toEqual(at('2026-01-01T00:00:10Z'));
  });

  it('a nightly job missed while every scheduler was down fires once (last) when one comes back', () => {
    const nightly = scheduleOf({ cron: '0 3 * * *' });
    const plan = planTicks(nightly, at('2026-01-01T03:00:00Z'), at('2026-01-05T08:00:00Z'), 1000);
    expect(iso(plan.fire)).toEqual(['2026-01-05T03:00:00.000Z']);
    expect(plan.skipped).toBe(3);
  });

  it('a 1-second schedule down for a week looks at a bounded number of ticks', () => {
    const plan = planTicks(
      scheduleOf({ every: '1s', catchUp: 'all', maxCatchUp: 2 }),
      at('2026-01-01T00:00:00Z'),
      at('2026-01-08T00:00:00.100Z'),
      1000,
    );
    expect(iso(plan.fire)).toEqual([
      '2026-01-07T23:59:58.000Z',
      '2026-01-07T23:59:59.000Z',
      '2026-01-08T00:00:00.000Z',
    ]);
    expect(plan.skipped).toBeGreaterThanOrEqual(997);
    expect(plan.cursor).toEqual(at('2026-01-08T00:00:00Z'));
  });

  it('a wall clock set back fires nothing until the cursor is passed', () => {
    expect(planTicks(everySecond, at('2026-01-01T00:00:10Z'), at('2026-01-01T00:00:05.100Z'), 1000).fire).toEqual([]);
  });
});

describe('planTicks across DST changes (fake clock)', () => {
  // America/New_York: 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
  const daily = (cron: string) => scheduleOf({ cron, timeZone: 'America/New_York' });
  const fireAt = (schedule: ReturnType<typeof daily>, cursor: string, now: string): string[] =>
    iso(planTicks(schedule, at(cursor), at(now), 1000).fire);

  it('09:00 local is 14:00Z in winter and 13:00Z in summer', () => {
    const nine = daily('0 9 * * *');
    expect(fireAt(nine, '2026-03-07T14:00:00Z', '2026-03-08T12:59:59.900Z')).toEqual([]);
    expect(fireAt(nine, '2026-03-07T14:00:00Z', '2026-03-08T13:00:00.200Z')).toEqual(['2026-03-08T13:00:00.000Z']);
    expect(fireAt(nine, '2026-10-31T13:00:00Z', '2026-11-01T13:00:00.200Z')).toEqual([]);
    expect(fireAt(nine, '2026-10-31T13:00:00Z', '2026-11-01T14:00:00.200Z')).toEqual(['2026-11-01T14:00:00.000Z']);
  });

  it('02:30 local, which does not exist on the spring-forward day, fires once at 03:00 EDT (07:00Z)', () => {
    const half = daily('30 2 * * *');
    expect(fireAt(half, '2026-03-07T07:30:00Z', '2026-03-08T06:59:59.500Z')).toEqual([]);
    expect(fireAt(half, '2026-03-07T07:30:00Z', '2026-03-08T07:00:00.300Z')).toEqual(['2026-03-08T07:00:00.000Z']);
    expect(fireAt(half, '2026-03-08T07:00:00Z', '2026-03-08T07:30:00.300Z')).toEqual([]);
  });

  it('01:30 local, which happens twice on the fall-back day, fires once (the first, 05:30Z)', () => {
    const half = daily('30 1 * * *');
    expect(fireAt(half, '2026-10-31T05:30:00Z', '2026-11-01T05:30:00.100Z')).toEqual(['2026-11-01T05:30:00.000Z']);
    expect(fireAt(half, '2026-11-01T05:30:00Z', '2026-11-01T06:30:00.100Z')).toEqual([]);
  });
});
