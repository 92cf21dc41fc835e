import { bounded, healthOf, type Health, type HealthReason } from '@warren/core';
import { stallVerdict } from './stall-verdict';

/** How long `consumer.health()` waits for a queue's ready count (a passive declare) before it gives up on it. */
export const READY_CHECK_TIMEOUT_MS = 2_000;

/** @internal What the health check reads of one subscription. */
export interface WatchedSubscription {
  readonly queue: string;
  readonly presence: { readonly state: string };
  readonly inFlight: Iterable<{ readonly startedAt: number }> & { readonly lastDoneAt: number };
  readonly options: { readonly prefetch: number; readonly handlerTimeoutMs: number | undefined };
}

/** @internal A plain channel of the consumer's own connection, for `checkQueue` (a passive declare). */
export interface CheckChannel {
  checkQueue(queue: string): Promise<{ messageCount: number }>;
  close(): Promise<void>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/** @internal The consumer's state (`ConsumerState`, repeated here: `consumer.ts` imports this file). */
type State = 'connecting' | 'connected' | 'disconnected' | 'closed' | 'failed';

/** @internal What `consumer.health()` passes in. */
export interface ConsumerHealthInput {
  readonly state: State;
  readonly paused: boolean;
  readonly subscriptions: readonly WatchedSubscription[];
  readonly stallAfterMs: number;
  /** Opens a channel on the current connection; undefined while disconnected. */
  readonly openChannel: () => Promise<CheckChannel> | undefined;
}

const STATE_REASONS: Partial<Record<State, HealthReason>> = {
  connecting: { code: 'connecting', message: 'not connected yet' },
  disconnected: { code: 'disconnected', message: 'the connection is lost; reconnecting' },
  failed: { code: 'failed', message: 'the connection cannot succeed (credentials or vhost): the consumer stopped' },
  closed: { code: 'closed', message: 'the consumer is closed' },
};

/**
 * @internal The consumer's verdict (README, "Health"): its connection, `paused`, each subscription's state, and a
 * stall check per subscription. The ready count is read over AMQP only for a subscription that looks stalled.
 */
export async function consumerHealth(input: ConsumerHealthInput): Promise<Health> {
  const stateReason = STATE_REASONS[input.state];
  if (stateReason) return healthOf([stateReason]);
  const reasons: HealthReason[] = [];
  if (input.paused) reasons.push({ code: 'paused', message: 'paused: no new deliveries until resume()' });
  const suspects: WatchedSubscription[] = [];
  for (const subscription of input.subscriptions) {
    const { queue } = subscription;
    const state = subscription.presence.state;
    if (state === 'queue-missing')
      reasons.push({ code: 'queue-missing', queue, message: `queue '${queue}' is missing` });
    if (state === 'subscribing' && !input.paused) {
      reasons.push({ code: 'subscribing', queue, message: `subscribing to '${queue}'` });
    }
    const verdict = stallVerdictOf(subscription, input.stallAfterMs);
    if (verdict === 'stuck') reasons.push(stuck(subscription));
    else if (verdict === 'idle-too-long') suspects.push(subscription);
  }
  if (suspects.length > 0) reasons.push(...(await confirmStalls(suspects, input)));
  return healthOf(reasons);
}

function stallVerdictOf(subscription: WatchedSubscription, stallAfterMs: number): ReturnType<typeof stallVerdict> {
  const startedAt = [...subscription.inFlight].map((delivery) => delivery.startedAt);
  const { prefetch, handlerTimeoutMs } = subscription.options;
  const lastFinishedAt = subscription.inFlight.lastDoneAt;
  return stallVerdict({ now: performance.now(), startedAt, lastFinishedAt, prefetch, handlerTimeoutMs, stallAfterMs });
}

function stuck({ queue, options }: WatchedSubscription): HealthReason {
  const message = `stalled: all ${options.prefetch} prefetch slots of '${queue}' have been busy longer than the handler timeout (${options.handlerTimeoutMs} ms)`;
  return { code: 'stalled', queue, message };
}

/** Reads the ready count of each suspect's queue on one channel, within `READY_CHECK_TIMEOUT_MS`. */
async function confirmStalls(suspects: WatchedSubscription[], input: ConsumerHealthInput): Promise<HealthReason[]> {
  const reasons: HealthReason[] = [];
  let timedOut = false;
  const check = async (): Promise<void> => {
    const channel = await input.openChannel();
    if (channel === undefined) return;
    channel.on('error', () => undefined); // a 404 closes the channel; QueuePresence reports a missing queue
    try {
      for (const { queue } of suspects) {
        if (timedOut) return;
        const { messageCount } = await channel.checkQueue(queue);
        const since = `nothing finished for ${input.stallAfterMs} ms`;
        if (messageCount > 0)
          reasons.push({
            code: 'stalled',
            queue,
            message: `stalled: '${queue}' has ${messageCount} ready messages and ${since}`,
          });
      }
    } finally {
      channel.close().catch(() => undefined);
    }
  };
  let failure: unknown;
  const inTime = await bounded(
    check().catch((error: unknown) => (failure = error)),
    READY_CHECK_TIMEOUT_MS,
  );
  timedOut = !inTime;
  if (inTime && failure === undefined) return reasons;
  const why = inTime ? 'the ready count could not be read' : `no ready count within ${READY_CHECK_TIMEOUT_MS} ms`;
  return suspects.map(({ queue }) => ({
    code: 'stall-unverified',
    queue,
    message: `nothing finished for ${input.stallAfterMs} ms in '${queue}'; ${why}`,
  }));
}
