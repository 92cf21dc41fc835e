import { MemoryIdempotencyStore } from '../../src/idempotency/memory-store';
import type { Claim } from '../../src/idempotency/store';

const terms = { leaseMs: 1_000, ttlMs: 10_000 };

describe('MemoryIdempotencyStore', () => {
  afterEach(() => jest.useRealTimers());

  it('claims a key once; a held key is busy, a completed key is done until its TTL ends', async () => {
    jest.useFakeTimers();
    const store = new MemoryIdempotencyStore();
    const claim = (await store.claim('k', terms)) as Claim;
    expect(claim).toMatchObject({ key: 'k', ttlMs: 10_000, session: undefined });
    expect(await store.claim('k', terms)).toBe('busy');
    await store.complete(claim);
    expect(await store.claim('k', terms)).toBe('done');
    jest.advanceTimersByTime(10_001);
    expect(await store.claim('k', terms)).toEqual(expect.objectContaining({ key: 'k' }));
  });

  it('frees a claim whose lease ran out (its worker died), and a stale release does not free the new one', async () => {
    jest.useFakeTimers();
    const store = new MemoryIdempotencyStore();
    const stale = (await store.claim('k', terms)) as Claim;
    jest.advanceTimersByTime(1_001);
    const fresh = (await store.claim('k', terms)) as Claim;
    expect(fresh.token).not.toBe(stale.token);
    await store.release(stale);
    expect(await store.claim('k', terms)).toBe('busy');
    await store.release(fresh);
    expect(await store.claim('k', terms)).toEqual(expect.objectContaining({ key: 'k' }));
  });

  it('forgets the least recently used key past maxKeys', async () => {
    const store = new MemoryIdempotencyStore({ maxKeys: 2 });
    for (const key of ['a', 'b']) await store.complete((await store.claim(key, terms)) as Claim);
    expect(await store.claim('a', terms)).toBe('done'); // a is now the most recently used
    await store.claim('c', terms);
    expect(store.size).toBe(2);
    expect(await store.claim('a', terms)).toBe('done');
    expect(await store.claim('b', terms)).not.toBe('done');
  });

  it.each([0, 1.5, -1])('refuses maxKeys %p with INVALID_OPTION', (maxKeys) => {
    expect(() => new MemoryIdempotencyStore({ maxKeys })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});
