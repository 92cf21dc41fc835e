import { stallVerdict, type StallInput } from '../src/stall-verdict';

const base: StallInput = {
  now: 100_000,
  startedAt: [],
  lastFinishedAt: 0,
  prefetch: 2,
  handlerTimeoutMs: undefined,
  stallAfterMs: 10_000,
};

describe('stallVerdict', () => {
  it('says nothing when nothing is in flight, however long ago the last finish was', () => {
    expect(stallVerdict(base)).toBeUndefined();
  });

  it('suspects a stall when work is in flight and nothing finished for stallAfterMs', () => {
    expect(stallVerdict({ ...base, startedAt: [80_000], lastFinishedAt: 85_000 })).toBe('idle-too-long');
    expect(stallVerdict({ ...base, startedAt: [80_000], lastFinishedAt: 90_000 })).toBe('idle-too-long');
  });

  it('does not suspect one while deliveries keep finishing', () => {
    expect(stallVerdict({ ...base, startedAt: [80_000], lastFinishedAt: 95_000 })).toBeUndefined();
  });

  it('counts from the oldest delivery in flight after a quiet spell (a burst is not a stall)', () => {
    expect(stallVerdict({ ...base, startedAt: [99_000, 99_500], lastFinishedAt: 0 })).toBeUndefined();
  });

  it('finds every prefetch slot stuck past the handler timeout, whatever else happens', () => {
    const input = { ...base, handlerTimeoutMs: 1_000, lastFinishedAt: 99_999 };
    expect(stallVerdict({ ...input, startedAt: [98_000, 98_500] })).toBe('stuck');
    expect(stallVerdict({ ...input, startedAt: [98_000, 99_500] })).toBeUndefined();
    // A timed-out handler that ignores its signal no longer holds a slot: more overdue ones than prefetch, still stuck.
    expect(stallVerdict({ ...input, startedAt: [90_000, 95_000, 98_000] })).toBe('stuck');
  });

  it('never calls slots stuck without a handler timeout', () => {
    expect(stallVerdict({ ...base, startedAt: [1, 2], lastFinishedAt: 99_999 })).toBeUndefined();
  });
});
