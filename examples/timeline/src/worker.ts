import { setTimeout as sleep } from 'node:timers/promises';
import { createConsumer, NonRetryableError, type Consumer, type LoggerLike } from '@warren/consumer';
import { retryQueueName, type DesiredTopology } from '@warren/topology';
import type { Post, PostCreatedContract, PostPreview, PreviewContract, ReminderDueContract } from './contracts';
import { failsRetryably, fateOf, latencyOf } from './simulation';
import { WorkerStats } from './worker-stats';

export interface TimelineWorkerOptions {
  readonly urls: string | readonly string[];
  readonly topology: DesiredTopology;
  readonly contract: PostCreatedContract;
  /** Answers `GET /posts/:id/preview` (request/reply) for the posts this worker fanned out. @default none */
  readonly previewContract?: PreviewContract;
  /** Scheduled reminders to consume (their lateness goes into the stats). @default none */
  readonly reminderContract?: ReminderDueContract;
  /** Posts worked on at once. @default 10 */
  readonly prefetch?: number;
  /** Mean simulated fan-out time per post. @default 40 */
  readonly latencyMs?: number;
  /** Connection name in the management UI. @default 'timeline-worker' */
  readonly name?: string;
  /** Where the consumer logs (pino in `worker-main.ts`). @default none */
  readonly logger?: LoggerLike;
}

export interface TimelineWorker {
  readonly consumer: Consumer;
  readonly stats: WorkerStats;
}

/**
 * The fan-out worker: copies each post into its followers' timelines. The copy is simulated (a delay, and failures
 * decided by the post id, see `simulation.ts`) so retries and dead letters show up in the demo. The handler's
 * outcome decides what happens to the message: return → ack; throw → the next retry tier (or the dead-letter
 * queue after the last one); `NonRetryableError` → the dead-letter queue at once.
 */
export async function startTimelineWorker(options: TimelineWorkerOptions): Promise<TimelineWorker> {
  const consumer = createConsumer({
    urls: options.urls,
    name: options.name ?? 'timeline-worker',
    topology: options.topology,
    logger: options.logger,
  });
  const stats = new WorkerStats();
  const fanoutQueue = options.contract.queue;
  consumer.on('retried', (event) => stats.retried(retryQueueName(event.queue, event.delayMs)));
  consumer.on('deadLettered', (e) => (e.queue === fanoutQueue ? stats.deadLettered(e.messageId ?? '') : undefined));
  const latencyMs = options.latencyMs ?? 40;
  const previews = new Map<string, PostPreview>();
  await consumer.consume(
    options.contract,
    async (post: Post, ctx) => {
      await fanOut(post, ctx.attempt, latencyMs, ctx.signal);
      stats.processed(ctx.messageId ?? '');
      remember(previews, post);
    },
    { prefetch: options.prefetch ?? 10 },
  );
  if (options.previewContract) {
    // The handler's return value is the reply (checked against the contract's reply schema before it is sent).
    await consumer.consume(options.previewContract, ({ postId }) => {
      const preview = previews.get(postId);
      if (preview) return preview;
      throw new NonRetryableError(`post ${postId} is in no timeline`, { remoteCode: 'POST_NOT_FOUND' });
    });
  }
  if (options.reminderContract)
    await consumer.consume(options.reminderContract, (reminder) => {
      stats.reminded(Date.now() - Date.parse(reminder.dueAt));
    });
  return { consumer, stats };
}

/** The worker keeps the previews of the last posts it fanned out (a real one would read its timeline store). */
function remember(previews: Map<string, PostPreview>, post: Post): void {
  const { postId, author, text, followers } = post;
  previews.set(postId, { postId, author, preview: text.slice(0, 40), followers: followers?.length ?? 0 });
  if (previews.size > 10_000) previews.delete(previews.keys().next().value!);
}

async function fanOut(post: Post, attempt: number, latencyMs: number, signal: AbortSignal): Promise<void> {
  await sleep(latencyOf(post.postId, latencyMs), undefined, { signal });
  const fate = fateOf(post.postId);
  if (fate === 'poison') throw new NonRetryableError(`author ${post.author} of post ${post.postId} does not exist`);
  if (failsRetryably(fate, attempt)) throw new Error(`follower store timed out (attempt ${attempt})`);
}
