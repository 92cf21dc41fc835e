import { createHash } from 'node:crypto';

/**
 * The worker's simulated world, decided by the post id so every run (and every retry of a post) behaves the same:
 * - `ok` (70 %): fans out on the first attempt;
 * - `flaky-once` (12 %) / `flaky-twice` (8 %): a follower store times out once / twice, so the post travels through
 *   the first / both retry tiers and then succeeds;
 * - `always-fails` (5 %): fails every attempt, exhausts the tiers and lands in the dead-letter queue;
 * - `poison` (5 %): can never succeed (say, an author that no longer exists): `NonRetryableError`, straight to the
 *   dead-letter queue without retrying.
 */
export type Fate = 'ok' | 'flaky-once' | 'flaky-twice' | 'always-fails' | 'poison';

const FATES: ReadonlyArray<[limit: number, fate: Fate]> = [
  [70, 'ok'],
  [82, 'flaky-once'],
  [90, 'flaky-twice'],
  [95, 'always-fails'],
  [100, 'poison'],
];

/** 0–99, stable for a post id. */
function bucketOf(postId: string): number {
  return createHash('sha1').update(postId).digest().readUInt32BE(0) % 100;
}

export function fateOf(postId: string): Fate {
  const bucket = bucketOf(postId);
  return FATES.find(([limit]) => bucket < limit)?.[1] ?? 'ok';
}

/** Whether the attempt (1-based) of a post with this fate fails with a retryable error. */
export function failsRetryably(fate: Fate, attempt: number): boolean {
  if (fate === 'always-fails') return true;
  if (fate === 'flaky-twice') return attempt <= 2;
  return fate === 'flaky-once' && attempt <= 1;
}

/** Simulated work time: between half and one and a half times `meanMs`, stable for a post id. */
export function latencyOf(postId: string, meanMs: number): number {
  return Math.round(meanMs * (0.5 + bucketOf(`${postId}:latency`) / 100));
}
