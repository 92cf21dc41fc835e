import type { MessageContract } from '@warren/core';

/** What the scheduler sends with each tick: its deterministic id, its deadline and the schedule's headers. */
export interface TickPublishOptions {
  readonly messageId: string;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, unknown>>;
}

/**
 * How the scheduler publishes its ticks: a `Publisher` of `@warren/publisher` fits as it is (confirmed, bounded,
 * typed errors). The scheduler takes one rather than creating it, so it depends on no other runtime, and the
 * service keeps one publisher (its connection, its back pressure) for its ticks and its own messages.
 */
export interface TickPublisher {
  publish(contract: MessageContract, payload: never, options: TickPublishOptions): Promise<unknown>;
  publishRaw(exchange: string, routingKey: string, body: unknown, options: TickPublishOptions): Promise<unknown>;
}
