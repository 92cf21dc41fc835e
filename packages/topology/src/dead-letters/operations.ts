import type { ConfirmChannel, GetMessage } from 'amqplib';
import { deadLetterQueueName } from '../model/names';
import { DeadLetterError } from './errors';
import { describeParked, labelOf, replayProperties, type ParkedMessage } from './parked';
import { checkQueue, untilReady, withChannel, type DeadLetterOptions } from './session';

/**
 * Operations on a work queue's parking lot (`q.dlq`): list what is parked without losing it, replay it into the
 * work queue with a fresh set of retries, purge it. One short-lived connection per call (these are operator
 * actions, not a hot path).
 */
export interface ListDeadLettersOptions extends DeadLetterOptions {
  /** How many messages to show at most. @default 20 */
  readonly limit?: number;
  /**
   * Include each message's body (decoded as UTF-8) in `ParkedMessage.body`. Off by default: bodies may hold
   * personal data.
   * @default false
   */
  readonly includeBody?: boolean;
}

/** What `replayDeadLetters` moves: at most `limit` of the messages parked when it starts, optionally by reason. */
export interface ReplayDeadLettersOptions extends DeadLetterOptions {
  /** How many messages to move at most. @default Infinity (all) */
  readonly limit?: number;
  /**
   * Move only messages whose dead-letter reason (`x-warren-reason`, or the broker's `x-death` reason) is this; the
   * others stay parked and are counted in `ReplayResult.skipped`.
   * @default every message, whatever its reason
   */
  readonly filterReason?: string;
  /**
   * Called after each message moved or skipped, for a progress bar.
   * @default none
   */
  readonly onProgress?: (progress: ReplayProgress) => void;
  /**
   * Stops the replay after the message in flight (moved and acked, or left parked): the result says how far it got
   * (`interrupted`), nothing is lost, and running it again continues.
   * @default none: runs to the end
   */
  readonly signal?: AbortSignal;
}

/** How far a replay is. */
export interface ReplayProgress {
  readonly moved: number;
  readonly skipped: number;
  /** The messages it will look at: those parked when it started, at most `limit`. */
  readonly total: number;
}

export interface DeadLetterListing {
  readonly queue: string;
  readonly deadLetterQueue: string;
  /** Ready messages in the dead-letter queue when the listing started. */
  readonly total: number;
  readonly messages: readonly ParkedMessage[];
}

export interface ReplayResult {
  readonly queue: string;
  readonly deadLetterQueue: string;
  /** Messages re-published to the work queue (confirmed) and then removed from the dead-letter queue. */
  readonly moved: number;
  /** Messages left in the dead-letter queue because they did not match `filterReason`. */
  readonly skipped: number;
  /** Messages parked when the replay started (at most `limit`): what it set out to look at. */
  readonly total: number;
  /** True when `signal` stopped it before the end. */
  readonly interrupted: boolean;
}

export interface PurgeResult {
  readonly queue: string;
  readonly deadLetterQueue: string;
  readonly purged: number;
}

/**
 * Reads up to `limit` messages of `q.dlq` without removing them: they are fetched with `basic.get` (not acked)
 * and returned with `basic.nack(requeue)` before the channel closes. A `nack`, because RabbitMQ 4.3's quorum queues
 * count a `reject` or a channel close against the delivery limit (20 by default) and a `nack` not. 4.0–4.2 count the
 * `nack` too: there the quorum DLQ's Warren policy (`delivery-limit: -1`, set by `warren apply`) keeps a parked message
 * however often it is listed.
 */
export async function listDeadLetters(queue: string, options: ListDeadLettersOptions): Promise<DeadLetterListing> {
  const deadLetterQueue = deadLetterQueueName(queue);
  return withChannel(options, false, async (channel, model) => {
    const total = (await checkQueue(model, options, deadLetterQueue, queue)).messageCount;
    const messages: ParkedMessage[] = [];
    const limit = options.limit ?? 20;
    while (messages.length < limit) {
      const message = await channel.get(deadLetterQueue, { noAck: false });
      if (message === false) break;
      const parked = describeParked(message);
      messages.push(options.includeBody ? { ...parked, body: message.content.toString('utf8') } : parked);
    }
    channel.nackAll(true);
    await untilReady(model, options, deadLetterQueue, total);
    return { queue, deadLetterQueue, total, messages };
  });
}

/**
 * Moves messages from `q.dlq` back to `q`: each is re-published through the default exchange (routing key `q`,
 * mandatory, on a confirm channel) with the same properties and `messageId`, minus the failure headers, and acked
 * in the dead-letter queue only after the broker confirmed the re-publish. A crash in between leaves a duplicate,
 * never a loss (at-least-once; duplicates are detectable by `messageId`).
 */
export async function replayDeadLetters(queue: string, options: ReplayDeadLettersOptions): Promise<ReplayResult> {
  const deadLetterQueue = deadLetterQueueName(queue);
  return withChannel(options, true, async (channel, model) => {
    await checkQueue(model, options, queue);
    // Only what is parked now: a consumer that dead-letters a replayed message at once must not make this loop forever.
    const parked = (await checkQueue(model, options, deadLetterQueue, queue)).messageCount;
    const limit = options.limit ?? Infinity;
    const total = Math.min(parked, limit);
    let moved = 0;
    let skipped = 0;
    while (moved < limit && moved + skipped < parked && !options.signal?.aborted) {
      const message = await channel.get(deadLetterQueue, { noAck: false });
      if (message === false) break;
      // Held unacked until the end, so the loop does not fetch it again; the nack below puts it back.
      if (options.filterReason !== undefined && describeParked(message).reason !== options.filterReason) {
        skipped += 1;
        options.onProgress?.({ moved, skipped, total });
        continue;
      }
      await republish(channel, queue, message, moved);
      channel.ack(message);
      moved += 1;
      options.onProgress?.({ moved, skipped, total });
    }
    channel.nackAll(true);
    const interrupted = options.signal?.aborted === true && moved < limit && moved + skipped < parked;
    return { queue, deadLetterQueue, moved, skipped, total, interrupted };
  });
}

/** Deletes every ready message of `q.dlq`. Irreversible: the CLI asks for `--yes`. */
export async function purgeDeadLetters(queue: string, options: DeadLetterOptions): Promise<PurgeResult> {
  const deadLetterQueue = deadLetterQueueName(queue);
  return withChannel(options, false, async (channel, model) => {
    await checkQueue(model, options, deadLetterQueue, queue);
    const { messageCount } = await channel.purgeQueue(deadLetterQueue);
    return { queue, deadLetterQueue, purged: messageCount };
  });
}

async function republish(channel: ConfirmChannel, queue: string, message: GetMessage, moved: number): Promise<void> {
  let returned = false;
  const onReturn = (): void => {
    returned = true;
  };
  channel.once('return', onReturn);
  try {
    await new Promise<void>((resolve, reject) => {
      channel.publish('', queue, message.content, replayProperties(message), (error: unknown) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
      );
    });
  } catch (cause) {
    throw new DeadLetterError(
      'REPLAY_REJECTED',
      `The broker did not confirm the re-publish of message ${labelOf(message)} to queue '${queue}' ` +
        `(is it full, with overflow reject-publish?). ${moved} message(s) were moved before; this one stays in ` +
        `the dead-letter queue.`,
      { cause, moved },
    );
  } finally {
    channel.removeListener('return', onReturn);
  }
  // A return (312 NO_ROUTE) arrives before the confirm: the queue vanished between the check and the publish.
  if (returned) {
    throw new DeadLetterError(
      'REPLAY_UNROUTABLE',
      `Queue '${queue}' did not accept message ${labelOf(message)} (312 NO_ROUTE): does it still exist? ` +
        `${moved} message(s) were moved before; this one stays in the dead-letter queue.`,
      { replyCode: 312, moved },
    );
  }
}
