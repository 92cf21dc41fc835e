import type { EventEmitter } from 'node:events';
import { describeError } from '@warren/core';
import type { Delivery } from '../context';
import { NonRetryableError } from '../errors';
import type { ConsumerEvents } from '../events';
import type { Handler } from '../handler';
import type { StatsRecorder } from '../stats';
import type { ResolvedIdempotency } from './options';
import { IdempotencyStoreError } from './store-error';

/**
 * @internal What a gated handler resolves with when the message must go back to its queue after `retryDelayMs`
 * without counting as a failure: its key is busy, or the store cannot be reached.
 */
export class RequeueLater {
  constructor(readonly why: string) {}
}

/**
 * @internal Wraps a handler so it runs at most once per key: the claim logic of `consume(…, { idempotency })`.
 *
 * | The store says                    | What happens                                                                 |
 * | --------------------------------- | ---------------------------------------------------------------------------- |
 * | claimed                           | the handler runs; success → `complete()`, then ack; failure → `release()`, then the retry path |
 * | done                              | ack without the handler: a duplicate (`stats().duplicates`, `duplicate` event) |
 * | busy (another worker holds it)    | held here and claimed again every 100 ms, up to its lease (and under half `handlerTimeoutMs`); still busy → requeued after `retryDelayMs` (never acked, never run concurrently) |
 * | `claim()` fails                   | requeued after `retryDelayMs`, like busy                                      |
 * | `complete()` fails                | the retry path (`IDEMPOTENCY_STORE_FAILED`); the claim ends with its lease    |
 * | the message has no key            | dead-lettered, reason `non-retryable`                                         |
 *
 * A busy key is waited for, then requeued, rather than sent to a retry tier: it is not the message's failure, so it
 * must not use up an attempt (or reach the dead-letter queue as `retries-exhausted` while the other worker is still
 * at work), and it stays unacked in the broker the whole time, so a crash cannot lose it. It is held in this worker
 * first because every requeue counts against a quorum queue's delivery limit (RabbitMQ 3.x and 4.0–4.2): requeued
 * every `retryDelayMs` for a whole lease, a duplicate would be dead-lettered as `delivery_limit`.
 */
export function idempotentHandler(
  handler: Handler<unknown, unknown>,
  options: ResolvedIdempotency,
  queue: string,
  events: EventEmitter<ConsumerEvents>,
  stats: StatsRecorder,
): Handler<unknown, unknown> {
  const { store, leaseMs } = options;
  return async (payload, context) => {
    const delivery = context as Delivery;
    const key = keyOf(options, payload, delivery);
    let claim;
    try {
      claim = await claimOrWait(options, `${queue}:${key}`, delivery.signal);
    } catch (error) {
      return new RequeueLater(`the idempotency store failed to claim key '${key}': ${describeError(error)}`);
    }
    if (claim === 'busy') return new RequeueLater(`key '${key}' is being handled by another worker`);
    if (claim === 'done') {
      stats.duplicates++;
      delivery.duplicate = true;
      events.emit('duplicate', { queue, messageId: delivery.messageId, key });
      return undefined;
    }
    delivery.transaction = claim.session;
    let result: unknown;
    try {
      result = await handler(payload, delivery);
    } catch (error) {
      await store.release(claim).catch((cause: unknown) => {
        const why = `the idempotency store failed to release key '${key}' (it frees itself after ${leaseMs} ms)`;
        events.emit('warning', { queue, message: `${why}: ${describeError(cause)}` });
      });
      throw error;
    }
    try {
      await store.complete(claim);
    } catch (error) {
      if (error instanceof IdempotencyStoreError) throw error;
      throw new IdempotencyStoreError(
        `The idempotency store failed to mark key '${key}' done: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
    return result; // a request's reply
  };
}

/** How often a busy key is claimed again while this worker holds its message. */
const BUSY_POLL_MS = 100;

/** Claims the key; while another worker holds it, claims again for up to `busyWaitMs` (or until the abort). */
async function claimOrWait(
  options: ResolvedIdempotency,
  key: string,
  signal: AbortSignal,
): ReturnType<ResolvedIdempotency['store']['claim']> {
  const { store, leaseMs, ttlMs } = options;
  const until = Date.now() + options.busyWaitMs;
  for (;;) {
    const claim = await store.claim(key, { leaseMs, ttlMs });
    if (claim !== 'busy' || signal.aborted || Date.now() >= until) return claim;
    await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
  }
}

function keyOf(options: ResolvedIdempotency, payload: unknown, delivery: Delivery): string {
  let key: unknown;
  try {
    key = options.key(payload, delivery as Delivery & { transaction: undefined });
  } catch (error) {
    throw new NonRetryableError(`The idempotency key function threw: ${describeError(error)}`, { cause: error });
  }
  if (typeof key === 'string' && key !== '') return key;
  throw new NonRetryableError(
    `The message has no idempotency key (${typeof key === 'string' ? 'an empty key' : 'no messageId'}): set a ` +
      'messageId when publishing (Warren’s publisher always does) or derive one with the idempotency.key option.',
  );
}
