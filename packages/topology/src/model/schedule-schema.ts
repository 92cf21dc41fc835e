import { Cron } from 'croner';
import { z } from 'zod';
import { parseDelay } from './names';

/**
 * One entry of the topology file's `schedules` section: a recurring tick published by `@warren/scheduler`.
 * Exactly one of `cron` and `every`; exactly one of `contract` and `exchange` (+ `routingKey`).
 */

/** The lease queue `@warren/scheduler` uses unless told otherwise (its tick log is `<lease>.ticks`). */
export const DEFAULT_SCHEDULER_LEASE_QUEUE = 'warren.scheduler';

const CATCH_UP_HELP = 'expected `catchUp`: skip, last or all';

/** A 5-field (minute first) or 6-field (second first) cron expression, parsed by croner. */
const cronExpression = z
  .string({ error: 'expected `cron` as a string, e.g. "0 3 * * *" (quote it in YAML)' })
  .check((ctx) => {
    const problem = cronProblem(ctx.value);
    if (problem !== undefined) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
  });

/** An IANA time zone name, checked against the runtime's time zone database. */
const timeZone = z.string({ error: 'expected `timeZone` as a string, e.g. Europe/Berlin' }).check((ctx) => {
  if (!isTimeZone(ctx.value))
    ctx.issues.push({
      code: 'custom',
      input: ctx.value,
      message: `unknown time zone ${JSON.stringify(ctx.value)}: use an IANA name such as UTC, Europe/Berlin, America/New_York`,
    });
});

/** A fixed interval: at least one second, at most a day's multiple you can write as a duration. */
const interval = z
  .union([z.string(), z.number()], { error: 'expected `every` as a duration, e.g. 30s, 5m, 1h' })
  .transform((value, ctx) => {
    const ms = parseDelay(value);
    if (ms !== undefined && ms >= 1000 && ms % 1000 === 0) return ms;
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: `${JSON.stringify(value)} is not a whole number of seconds (1s or more): write e.g. 1s, 30s, 5m, 1h`,
    });
    return z.NEVER;
  });

export const scheduleShape = {
  /** A cron expression, seconds optional: `0 3 * * *` (03:00 daily) or `*\/5 * * * * *` (every 5 s). */
  cron: cronExpression.optional(),
  /** A fixed interval instead of `cron` (`10s`, `5m`); ticks are aligned to multiples of it since the Unix epoch. */
  every: interval.optional(),
  /** The IANA time zone `cron` is read in. @default 'UTC' */
  timeZone: timeZone.default('UTC'),
  /** The name of a contract the scheduler is given in code (`contracts` option): exchange, routing key and schema. */
  contract: z.string({ error: 'expected `contract` as a string' }).min(1, 'expected a contract name').optional(),
  /** The exchange to publish each tick to (declared under `exchanges`, `amq.*`, or `""` for the default exchange). */
  exchange: z.string({ error: 'expected `exchange` as a string' }).optional(),
  /** @default '' */
  routingKey: z.string({ error: 'expected `routingKey` as a string' }).default(''),
  /** A static JSON payload; a function registered in code for the schedule's name wins over it. @default {} */
  payload: z.unknown().optional(),
  /** Ticks missed while no scheduler ran (or the process was paused): skip them, fire the last one, or fire them all (bounded). @default 'last' */
  catchUp: z.enum(['skip', 'last', 'all'], { error: CATCH_UP_HELP }).default('last'),
  /** With `catchUp: all`: at most this many missed ticks (the newest) are fired. @default 10 */
  maxCatchUp: z
    .number({ error: 'expected `maxCatchUp` as a number' })
    .int('expected an integer')
    .min(1, 'expected `maxCatchUp` to be 1 or more')
    .max(1000, 'expected `maxCatchUp` to be 1000 or less')
    .default(10),
};

const ONE_OF_TIMING = 'give exactly one of `cron` (e.g. "0 3 * * *") and `every` (e.g. 30s)';
const ONE_OF_TARGET = 'give exactly one of `contract` and `exchange` (with `routingKey`)';

/** A schedule's settings. */
export const scheduleSchema = z
  .strictObject(scheduleShape, {
    error: 'expected the schedule settings, e.g. { cron: "0 3 * * *", exchange: jobs, routingKey: nightly }',
  })
  .check((ctx) => {
    const { cron, every, contract, exchange } = ctx.value;
    if ((cron === undefined) === (every === undefined))
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: [cron === undefined ? 'cron' : 'every'],
        message: ONE_OF_TIMING,
      });
    if ((contract === undefined) === (exchange === undefined))
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: [contract === undefined ? 'exchange' : 'contract'],
        message: ONE_OF_TARGET,
      });
  });

/** A parsed schedule (interval in milliseconds). */
export type ScheduleDefinition = z.output<typeof scheduleSchema>;

function cronProblem(expression: string): string | undefined {
  try {
    new Cron(expression, { paused: true, mode: '5-or-6-parts' });
    return undefined;
  } catch (error) {
    const detail = (error as Error).message.replace(/^CronPattern: /, '');
    return `invalid cron expression ${JSON.stringify(expression)}: ${detail} (fields: [second] minute hour day-of-month month day-of-week, e.g. "0 3 * * *")`;
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
