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
 * | busy (another worker holds it)    | requeued after `retryDelayMs` (never acked, never run concurrently)           |
 * | `claim()` fails                   | requeued after `retryDelayMs`, like busy                                      |
 * | `complete()` fails                | the retry path (`IDEMPOTENCY_STORE_FAILED`); the claim ends with its lease    |
 * | the message has no key            | dead-lettered, reason `non-retryable`                                         |
 *
 * A busy key is requeued rather than sent to a retry tier: it is not the message's failure, so it must not use up an
 * attempt (or reach the dead-letter queue as `retries-exhausted` while the other worker is still at work), and it
 * stays unacked in the broker the whole time, so a crash cannot lose it.
 */
export function idempotentHandler(
  handler: Handler<unknown, unknown>,
  options: ResolvedIdempotency,
  queue: string,
  events: EventEmitter<ConsumerEvents>,
  stats: StatsRecorder,
): Handler<unknown, unknown> {
  const { store, ttlMs, leaseMs } = options;
  return async (payload, context) => {
    const delivery = context as Delivery;
    const key = keyOf(options, payload, delivery);
    let claim;
    try {
      claim = await store.claim(`${queue}:${key}`, { leaseMs, ttlMs });
    } catch (error) {
      return new RequeueLater(`the idempotency store failed to claim key '${key}': ${describeError(error)}`);
    }
    if (claim === 'busy') return new RequeueLater(`key '${key}' is being handled by another worker`);
    if (claim === 'done') {
      stats.duplicates++;
      events.emit('duplicate', { queue, messageId: delivery.messageId, key });
      return undefined;
    }
    delivery.transaction = claim.session;
    try {
      await handler(payload, delivery);
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
    return undefined;
  };
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
