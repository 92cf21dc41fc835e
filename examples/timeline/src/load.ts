import { setTimeout as sleep } from 'node:timers/promises';
import type { Post } from './contracts';

/** What the client saw; `accepted` holds the ids of posts the service answered 202 for. */
export interface LoadCounts {
  readonly accepted: Set<string>;
  /** 503 answers (each one was retried after a back-off, unless the post ran out of attempts). */
  rejected503: number;
  /** Posts given up after `maxAttempts` 503s or network errors. */
  gaveUp: number;
  /** 400 answers (the demo sends a few invalid posts on purpose). */
  invalid: number;
  /** Other answers and network errors. */
  errors: number;
  /** The other answers and network errors by kind (`500 INTERNAL`, `ECONNRESET`, ...). */
  readonly errorKinds: Record<string, number>;
  /** Posts not answered yet. */
  pending: number;
}

export interface LoadOptions {
  readonly baseUrl: string;
  readonly posts: readonly unknown[];
  /** Requests in flight at once, per wave. */
  readonly concurrency: number;
  /** Posts per wave: a burst that fills the bounded queue, after which the worker catches up. @default all */
  readonly waveSize?: number;
  /** Time between the starts of two waves. @default 2500 */
  readonly waveEveryMs?: number;
  /** @default 10 */
  readonly maxAttempts?: number;
  /** First back-off; doubles on each retry, with jitter, never below the server's Retry-After. @default 200 */
  readonly backoffMs?: number;
  /** Longest back-off. @default 5000 */
  readonly maxBackoffMs?: number;
}

export function newLoadCounts(total: number): LoadCounts {
  return { accepted: new Set(), rejected503: 0, gaveUp: 0, invalid: 0, errors: 0, errorKinds: {}, pending: total };
}

/**
 * A small client that sends the posts in waves (bursts of `waveSize` posts, `concurrency` requests in flight) and
 * retries a 503 with exponential back-off that honours `Retry-After` — what a well-behaved caller of a
 * back-pressured service does.
 */
export async function driveLoad(options: LoadOptions, counts: LoadCounts): Promise<void> {
  const size = options.waveSize ?? options.posts.length;
  const waves = Array.from({ length: Math.ceil(options.posts.length / size) }, (_, i) =>
    options.posts.slice(i * size, (i + 1) * size),
  );
  await Promise.all(
    waves.map(async (wave, i) => {
      await sleep(i * (options.waveEveryMs ?? 2_500));
      await sendAll(options, wave, counts);
    }),
  );
}

async function sendAll(options: LoadOptions, posts: readonly unknown[], counts: LoadCounts): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < posts.length) await sendWithRetry(options, posts[next++], counts);
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, posts.length) }, sender));
}

async function sendWithRetry(options: LoadOptions, post: unknown, counts: LoadCounts): Promise<void> {
  const maxAttempts = options.maxAttempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    const outcome = await send(options.baseUrl, post);
    if (outcome.kind === 'accepted') counts.accepted.add(outcome.messageId);
    else if (outcome.kind === 'invalid') counts.invalid += 1;
    else if (outcome.kind === 'busy') counts.rejected503 += 1;
    else {
      counts.errors += 1;
      counts.errorKinds[outcome.why] = (counts.errorKinds[outcome.why] ?? 0) + 1;
    }
    const retry = outcome.kind === 'busy' || outcome.kind === 'error';
    if (!retry || attempt >= maxAttempts) {
      if (retry) counts.gaveUp += 1;
      counts.pending -= 1;
      return;
    }
    await sleep(backoff(options, attempt, outcome.kind === 'busy' ? outcome.retryAfterMs : 0));
  }
}

/** `backoffMs · 2^(attempt-1)` with ±50 % jitter, capped, and never sooner than the server asked. */
export function backoff(
  options: Pick<LoadOptions, 'backoffMs' | 'maxBackoffMs'>,
  attempt: number,
  retryAfterMs: number,
): number {
  const base = Math.min(options.maxBackoffMs ?? 5_000, (options.backoffMs ?? 200) * 2 ** (attempt - 1));
  return Math.max(retryAfterMs, Math.round(base * (0.5 + Math.random())));
}

type Outcome =
  | { kind: 'accepted'; messageId: string }
  | { kind: 'busy'; retryAfterMs: number }
  | { kind: 'invalid' }
  | { kind: 'error'; why: string };

async function send(baseUrl: string, post: unknown): Promise<Outcome> {
  try {
    const response = await fetch(`${baseUrl}/posts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(post),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { messageId?: string; error?: string };
    if (response.status === 202 && body.messageId) return { kind: 'accepted', messageId: body.messageId };
    if (response.status === 503)
      return { kind: 'busy', retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
    if (response.status === 400) return { kind: 'invalid' };
    return { kind: 'error', why: `${response.status} ${body.error ?? ''}`.trim() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { kind: 'error', why: cause?.code ?? (error instanceof Error ? error.name : 'error') };
  }
}

function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

const AUTHORS = ['ada', 'grace', 'linus', 'margaret', 'ken'];

/** `count` valid posts with ids unique to this run, plus a few invalid ones (to show the 400 answer). */
export function samplePosts(runId: string, count: number, invalid = 3): unknown[] {
  const posts: unknown[] = Array.from({ length: count }, (_, i): Post => {
    const author = AUTHORS[i % AUTHORS.length] ?? 'ada';
    return { postId: `${runId}-${i}`, author, text: `post ${i} from ${author}`, followers: followersOf(i) };
  });
  for (let i = 0; i < invalid; i++)
    posts.splice(Math.floor(((i + 1) * count) / (invalid + 1)), 0, { author: '', text: '' });
  return posts;
}

function followersOf(i: number): string[] {
  return AUTHORS.filter((_, j) => (i + j) % 2 === 0);
}
