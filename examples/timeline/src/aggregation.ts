import type { Consumer } from '@warren/consumer';
import { createPublisher } from '@warren/publisher';
import { createScheduler, type Scheduler } from '@warren/scheduler';
import type { Topology } from '@warren/topology';

/** What the worker reports about the nightly aggregation (the demo's summary shows it). */
export interface AggregationSnapshot {
  /** Distinct ticks the worker received (by messageId `nightly-aggregate@<tick>`). */
  readonly ticks: number;
  /** Copies of a tick received twice (same messageId): possible around a hand-over, absorbed here. */
  readonly duplicates: number;
  /** The newest tick, ISO. */
  readonly lastTick: string | null;
  /** Whether this worker's scheduler leads. */
  readonly leading: boolean;
}

export interface NightlyAggregation {
  readonly scheduler: Scheduler;
  /** Stops the scheduler (handing the lease over), then its publisher. */
  close(): Promise<void>;
  snapshot(): AggregationSnapshot;
}

/**
 * The nightly aggregation: every worker replica runs a scheduler (one leads and fires `nightly-aggregate`), and
 * consumes the ticks from the aggregates queue. The tick's payload says how many posts this worker had fanned out.
 */
export async function startNightlyAggregation(options: {
  readonly urls: string | readonly string[];
  readonly topology: Topology;
  readonly namespace: string;
  readonly consumer: Consumer;
  readonly processed: () => number;
}): Promise<NightlyAggregation> {
  // The ticks go out through a publisher of the worker's own (the scheduler takes one; it does not create it).
  const publisher = createPublisher({ urls: options.urls, name: `${options.namespace}-scheduler` });
  const scheduler = createScheduler({
    urls: options.urls,
    topology: options.topology,
    publisher,
    leaseQueue: `${options.namespace}.scheduler`,
    name: `${options.namespace}-scheduler`,
    payloads: { 'nightly-aggregate': ({ tickAt }) => ({ tickAt, postsProcessed: options.processed() }) },
  });
  const seen = new Map<string, number>();
  await options.consumer.consume(`${options.namespace}.aggregates`, (_payload, ctx) => {
    seen.set(ctx.messageId ?? '', (seen.get(ctx.messageId ?? '') ?? 0) + 1);
  });
  return {
    scheduler,
    close: () => scheduler.close().finally(() => publisher.close()),
    snapshot: () => ({
      ticks: seen.size,
      duplicates: [...seen.values()].reduce((sum, n) => sum + n - 1, 0),
      lastTick: [...seen.keys()].sort().pop()?.split('@')[1] ?? null,
      leading: scheduler.isLeading,
    }),
  };
}
