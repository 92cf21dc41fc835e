import { failsRetryably, fateOf, latencyOf, type Fate } from '../src/simulation';
import { backoff, samplePosts } from '../src/load';

describe('the simulated fan-out', () => {
  const ids = Array.from({ length: 2_000 }, (_, i) => `run-${i}`);

  it('gives each post the same fate every time, with every fate represented', () => {
    const fates = new Map<Fate, number>();
    for (const id of ids) fates.set(fateOf(id), (fates.get(fateOf(id)) ?? 0) + 1);
    expect(ids.map(fateOf)).toEqual(ids.map(fateOf));
    expect([...fates.keys()].sort()).toEqual(['always-fails', 'flaky-once', 'flaky-twice', 'ok', 'poison']);
    expect((fates.get('ok') ?? 0) / ids.length).toBeGreaterThan(0.6);
  });

  it('fails flaky posts only on their first attempts', () => {
    expect([1, 2, 3].map((a) => failsRetryably('flaky-once', a))).toEqual([true, false, false]);
    expect([1, 2, 3].map((a) => failsRetryably('flaky-twice', a))).toEqual([true, true, false]);
    expect([1, 2, 3].map((a) => failsRetryably('always-fails', a))).toEqual([true, true, true]);
    expect(failsRetryably('ok', 1)).toBe(false);
  });

  it('keeps the simulated latency within half and one and a half times the mean', () => {
    const latencies = ids.map((id) => latencyOf(id, 40));
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(60);
  });
});

describe('the demo client', () => {
  it('backs off exponentially, capped, and never sooner than Retry-After', () => {
    for (let i = 0; i < 50; i++) {
      expect(backoff({ backoffMs: 100 }, 1, 0)).toBeLessThanOrEqual(150);
      expect(backoff({ backoffMs: 100 }, 4, 0)).toBeGreaterThanOrEqual(400);
      expect(backoff({ backoffMs: 100, maxBackoffMs: 1_000 }, 20, 0)).toBeLessThanOrEqual(1_500);
      expect(backoff({ backoffMs: 100 }, 1, 2_000)).toBeGreaterThanOrEqual(2_000);
    }
  });

  it('sends unique post ids and a few invalid posts', () => {
    const posts = samplePosts('r', 100, 3) as Array<{ postId?: string }>;
    const ids = posts.flatMap((p) => (p.postId ? [p.postId] : []));
    expect(posts).toHaveLength(103);
    expect(new Set(ids).size).toBe(100);
  });
});
