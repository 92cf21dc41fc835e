import { z } from 'zod';
import { parseDelay } from './names';
import { scheduleSchema, scheduleShape } from './schedule-schema';

/**
 * The topology file, as one zod schema. The TypeScript types are inferred from it: `TopologyInput` is what a
 * user writes (defaults optional, delays as `'10s'` or milliseconds), `Topology` is the parsed, fully defaulted
 * result (delays in milliseconds). A parsed `Topology` is itself a valid input, so it round-trips.
 *
 * The schema checks shapes only; `parseTopology` adds the cross-reference checks (undeclared exchanges, names
 * that collide with derived objects, ...).
 */

/** x-message-ttl is an unsigned 32-bit number of milliseconds. */
const MAX_DURATION_MS = 2 ** 32 - 1;
const DURATION_HELP = 'use milliseconds (a positive integer) or a string like 250ms, 10s, 1.5m, 1h';

/** A delay or TTL: `250ms`, `10s`, `1.5m`, `1h`, or a number of milliseconds → milliseconds. */
const duration = z
  .union([z.string(), z.number()], { error: `expected a duration: ${DURATION_HELP}` })
  .transform((value, ctx) => {
    const ms = parseDelay(value);
    if (ms !== undefined && ms <= MAX_DURATION_MS) return ms;
    if (ms !== undefined) {
      ctx.addIssue({
        code: 'custom',
        input: value,
        message: `RabbitMQ TTLs are at most ${MAX_DURATION_MS} ms (about 49 days)`,
      });
      return z.NEVER;
    }
    ctx.addIssue({
      code: 'custom',
      input: value,
      message: `${JSON.stringify(value)} is not a duration: ${DURATION_HELP}`,
    });
    return z.NEVER;
  });

/** A message for a value of the wrong type only; other issues (a number too small, ...) keep their own. */
const wrongType = (message: string) => ({
  error: (issue: { code?: string }) => (issue.code === 'invalid_type' ? message : undefined),
});

const BINDINGS_HELP = 'expected `bindings` as a list, e.g. [{ exchange: orders, routingKey: order.created }]';

const flag = z.boolean(wrongType('expected true or false'));

const count = (what: string) =>
  z
    .number(wrongType(`expected ${what} as a number (not a string)`))
    .int(`expected an integer`)
    .nonnegative(`expected ${what} to be 0 or more`);

const argumentValue = z.union([z.string(), z.number(), z.boolean()], {
  error: 'an argument value must be a string, a number or a boolean',
});

/** Raw `x-` arguments, passed through (normalised) to the declare. */
const argumentsSchema = z.record(
  z.string(),
  argumentValue,
  wrongType('expected arguments as a map of name to value, e.g. { x-max-priority: 10 }'),
);

const bindingShape = {
  /** The source exchange (declared under `exchanges`, or a predeclared `amq.*` exchange). */
  exchange: z
    .string(wrongType('a binding needs `exchange`: the name of the exchange to bind from'))
    .min(1, 'a binding needs `exchange`: the name of the exchange to bind from'),
  /** @default '' */
  routingKey: z.string(wrongType('expected the routing key as a string (quote it in YAML if needed)')).default(''),
  /** Binding arguments, e.g. `x-match` for a headers exchange. @default {} */
  arguments: argumentsSchema.default({}),
};
const bindingSchema = z.strictObject(
  bindingShape,
  wrongType('expected a binding like { exchange: orders, routingKey: order.created }'),
);

const exchangeShape = {
  type: z.enum(['direct', 'topic', 'fanout', 'headers'], {
    error: 'expected `type`: one of direct, topic, fanout, headers',
  }),
  /** @default true */
  durable: flag.default(true),
  /** @default false */
  autoDelete: flag.default(false),
  /** An internal exchange only receives from other exchanges. @default false */
  internal: flag.default(false),
  /** e.g. `alternate-exchange`. @default {} */
  arguments: argumentsSchema.default({}),
  /** Exchange-to-exchange bindings: this exchange receives from `exchange`. @default [] */
  bindings: z.array(bindingSchema, wrongType(BINDINGS_HELP)).default([]),
  /** Messages to it can be scheduled (`publish(..., { delay })`) through the delay ladder. @default the file's `scheduling` */
  scheduling: flag.optional(),
};
/** Exchange settings. Kept in the declarations: `ExchangeDefinition`'s published type refers to it. */
export const exchangeSchema = z.strictObject(
  exchangeShape,
  wrongType('expected the exchange settings, e.g. { type: topic }'),
);

/** The queue's mutable settings: they go into a Warren policy (shared by the queues with the same ones), never into x-arguments. */
const limitsShape = {
  /** Ready messages at most (policy `max-length`). */
  maxLength: count('maxLength').optional(),
  /** Ready message bytes at most (policy `max-length-bytes`). */
  maxLengthBytes: count('maxLengthBytes').optional(),
  /** What happens when full (policy `overflow`). Quorum queues support `drop-head` and `reject-publish` only. */
  overflow: z
    .enum(['drop-head', 'reject-publish', 'reject-publish-dlx'], {
      error: 'expected `overflow`: one of drop-head, reject-publish, reject-publish-dlx',
    })
    .optional(),
  /** Message TTL (policy `message-ttl`): expired messages are dead-lettered (reason `expired`). */
  messageTtl: duration.optional(),
  /** Quorum queues: deliveries before the broker dead-letters a message (policy `delivery-limit`). @default 20 */
  deliveryLimit: count('deliveryLimit').optional(),
  /** Quorum queues (policy `dead-letter-strategy`). @default 'at-least-once' when it can apply, see README */
  deadLetterStrategy: z
    .enum(['at-most-once', 'at-least-once'], {
      error: 'expected `deadLetterStrategy`: at-most-once or at-least-once',
    })
    .optional(),
};
const limitsSchema = z.strictObject(
  limitsShape,
  wrongType('expected `limits` as an object, e.g. { maxLength: 10000, overflow: reject-publish }'),
);

const retryShape = {
  /** One delay tier per entry, in order: the first failure waits `delays[0]`, and so on; then the DLQ. */
  delays: z
    .array(duration, wrongType('expected `delays` as a list, e.g. [1s, 10s, 1m]'))
    .min(1, 'list at least one delay, or write `retry: false` to turn retries off'),
};
const retrySchema = z.union([z.literal(false), z.strictObject(retryShape)], {
  error: 'expected `retry`: false, or an object like { delays: [1s, 10s, 1m] }',
});

const queueShape = {
  /** @default 'quorum' */
  type: z.enum(['quorum', 'classic'], { error: 'expected `type`: quorum or classic' }).default('quorum'),
  /** @default true */
  durable: flag.default(true),
  /** @default false */
  autoDelete: flag.default(false),
  /** @default false */
  exclusive: flag.default(false),
  /** @default [] */
  bindings: z.array(bindingSchema, wrongType(BINDINGS_HELP)).default([]),
  /** @default {} */
  limits: limitsSchema.default({}),
  /** @default false (no retry tiers: a failure goes straight to the DLQ) */
  retry: retrySchema.default(false),
  /** Give the queue a dead-letter exchange `q.dlx` and queue `q.dlq`. @default true */
  deadLetter: flag.default(true),
  /** Immutable `x-` arguments other than the ones Warren sets (see README). @default {} */
  arguments: argumentsSchema.default({}),
};
/** Queue settings. Kept in the declarations: `QueueDefinition`'s published type refers to it. */
export const queueSchema = z.strictObject(
  queueShape,
  wrongType('expected the queue settings (write `{}` for all the defaults)'),
);

const topologyShape = {
  /** The virtual host; the connection URL's vhost wins when both are given. */
  vhost: z.string(wrongType('expected `vhost` as a string, e.g. /')).min(1, 'expected a vhost name, e.g. /').optional(),
  /** @default {} */
  exchanges: z
    .record(z.string(), exchangeSchema, wrongType('expected `exchanges` as a map of exchange name to settings'))
    .default({}),
  /** @default {} */
  queues: z
    .record(z.string(), queueSchema, wrongType('expected `queues` as a map of queue name to settings'))
    .default({}),
  /** Declare the delay ladder and schedule every exchange of the file (and the default exchange). @default false */
  scheduling: flag.optional(),
  /** Recurring ticks published by `@warren/scheduler` (see its README). @default none */
  schedules: z
    .record(z.string(), scheduleSchema, wrongType('expected `schedules` as a map of schedule name to settings'))
    .optional(),
};

/** The topology file schema. */
export const topologySchema = z.strictObject(topologyShape);

/** The keys each object of the file format allows: for "did you mean" on a typo. @internal */
export const ALLOWED_KEYS = {
  topology: Object.keys(topologyShape),
  exchange: Object.keys(exchangeShape),
  queue: Object.keys(queueShape),
  limits: Object.keys(limitsShape),
  retry: Object.keys(retryShape),
  binding: Object.keys(bindingShape),
  schedule: Object.keys(scheduleShape),
} as const;

/** A parsed, fully defaulted topology (delays in milliseconds). */
export type Topology = z.output<typeof topologySchema>;
/** What a topology file may contain (defaults optional, delays as strings or milliseconds). */
export type TopologyInput = z.input<typeof topologySchema>;
export type QueueDefinition = z.output<typeof queueSchema>;
export type ExchangeDefinition = z.output<typeof exchangeSchema>;
export type BindingDefinition = z.output<typeof bindingSchema>;
export type QueueLimits = z.output<typeof limitsSchema>;

/**
 * Returns its argument: wrap a topology written in TypeScript in it to have it type-checked as you type (unknown
 * keys such as `maxLenght` are compile errors).
 *
 * @example
 * export default defineTopology({ exchanges: { orders: { type: 'topic' } }, queues: { billing: { retry: { delays: ['1s'] } } } });
 */
export function defineTopology(topology: TopologyInput): TopologyInput {
  return topology;
}
