import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  checkOptions,
  CONNECTION_OPTIONS,
  knownOptions,
  splitUrls,
  WarrenError,
  type ConnectionOptions,
  type LoggerLike,
  type MessageContract,
} from '@warren/core';
import type { TickPublisher } from './TickPublisher';
import { DEFAULT_SCHEDULER_LEASE_QUEUE, type ScheduleDefinition, type Topology } from '@warren/topology';

/** What a payload function is given: the schedule's name and the tick's due time (not the time it fired). */
export interface TickContext {
  readonly schedule: string;
  readonly tickAt: Date;
}

/** Produces a tick's payload (JSON-serialisable, or a contract's payload); may be async. */
export type PayloadFactory = (tick: TickContext) => unknown;

export interface SchedulerOptions extends ConnectionOptions {
  /** The parsed topology (`loadTopologyFile`/`parseTopology`): its `schedules` are what this scheduler fires. Required. */
  readonly topology: Topology;
  /**
   * Publishes the ticks, with confirms: the service's `Publisher` (`createPublisher()` of `@warren/publisher`).
   * The scheduler does not close it. Required.
   */
  readonly publisher: TickPublisher;
  /**
   * A payload function per schedule name, called for each tick; it wins over the file's static `payload`.
   * @default {} (every tick carries the file's `payload`, or `{}`)
   */
  readonly payloads?: Readonly<Record<string, PayloadFactory>>;
  /**
   * The contracts the file's schedules name with `contract:`, by that name; the payload is checked against the
   * contract's schema before it is published.
   * @default {}
   */
  readonly contracts?: Readonly<Record<string, MessageContract>>;
  /**
   * The lease queue the schedulers of one service share (a quorum queue with single active consumer; the tick log
   * is `<leaseQueue>.ticks`). Give each service that has its own schedules its own lease queue.
   * @default 'warren.scheduler'
   */
  readonly leaseQueue?: string;
  /** A tick fired more than this late counts as missed, and follows its schedule's `catchUp`. @default 1000 */
  readonly lateAfterMs?: number;
  /** How long a tick's publish may wait for the broker's confirm (its `timeoutMs`). @default 5000 */
  readonly publishTimeoutMs?: number;
  /**
   * pino or any `LoggerLike`: the lease, its connection, skipped and failed ticks (README, "Logging").
   * @default none: nothing is logged
   */
  readonly logger?: LoggerLike;
}

/** @internal */
export interface ResolvedSchedulerOptions {
  readonly publisher: TickPublisher;
  readonly schedules: Readonly<Record<string, ScheduleDefinition>>;
  readonly urls: readonly string[];
  readonly payloads: Readonly<Record<string, PayloadFactory>>;
  readonly contracts: Readonly<Record<string, MessageContract>>;
  readonly leaseQueue: string;
  readonly lateAfterMs: number;
  readonly publishTimeoutMs: number;
  /** This process, as the management API shows the lease's consumer: `host:pid:random`. */
  readonly identity: string;
}

/** Normalises the options once; throws `WarrenError` (`INVALID_OPTION`, `INVALID_URL`) on bad ones. @internal */
/** @internal The keys of `SchedulerOptions`: `createScheduler()` rejects any other with `INVALID_OPTION`. */
const SCHEDULER_OPTIONS = knownOptions<SchedulerOptions>({
  ...CONNECTION_OPTIONS,
  topology: true,
  publisher: true,
  payloads: true,
  contracts: true,
  leaseQueue: true,
  lateAfterMs: true,
  publishTimeoutMs: true,
  logger: true,
});

export function resolveSchedulerOptions(options: SchedulerOptions): ResolvedSchedulerOptions {
  checkOptions('createScheduler()', options, SCHEDULER_OPTIONS);
  const urls = splitUrls(options.urls);
  if (urls.length === 0) throw new WarrenError('INVALID_URL', 'No AMQP URL given: pass `urls` or set AMQP_URL.');
  if (typeof options.topology?.queues !== 'object')
    invalid('`topology` must be a parsed topology (loadTopologyFile or parseTopology)');
  if (typeof options.publisher?.publish !== 'function' || typeof options.publisher.publishRaw !== 'function')
    invalid('`publisher` must publish the ticks: pass a Publisher (createPublisher() of @warren/publisher)');
  const schedules = options.topology.schedules ?? {};
  const payloads = options.payloads ?? {};
  const contracts = options.contracts ?? {};
  for (const name of Object.keys(payloads))
    if (!Object.hasOwn(schedules, name))
      invalid(
        `\`payloads\` has a function for "${name}", which is not a schedule of the topology (schedules: ${Object.keys(schedules).join(', ') || 'none'})`,
      );
  for (const [name, schedule] of Object.entries(schedules))
    if (schedule.contract !== undefined && !Object.hasOwn(contracts, schedule.contract))
      invalid(
        `schedule "${name}" publishes contract "${schedule.contract}": pass it as \`contracts: { '${schedule.contract}': ... }\``,
      );
  return {
    publisher: options.publisher,
    schedules,
    urls,
    payloads,
    contracts,
    leaseQueue: options.leaseQueue ?? DEFAULT_SCHEDULER_LEASE_QUEUE,
    lateAfterMs: positive('lateAfterMs', options.lateAfterMs, 1000),
    publishTimeoutMs: positive('publishTimeoutMs', options.publishTimeoutMs, 5000),
    identity: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) invalid(`\`${name}\` must be a positive number of milliseconds`);
  return value;
}

function invalid(message: string): never {
  throw new WarrenError('INVALID_OPTION', `Invalid scheduler options: ${message}.`);
}
