import { backoffStep, retryDelay } from '../src/backoff';
import { NackBackoff } from '../src/NackBackoff';
import { Outbound } from '../src/Outbound';

afterEach(() => jest.restoreAllMocks());

describe('retryDelay: the back-off uses its whole budget', () => {
  it('is the full-jitter wait while it ends before the last moment a copy can go out', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    // attempt 3: step min(5000, 100 * 2^3) = 800, jittered to 400; deadline far away
    expect(retryDelay(3, 1_000, 10_000, 50, 100, 5_000)).toBe(400);
  });

  it('shortens the last wait to end one margin before the deadline instead of giving up', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.99);
    // now 2000, deadline 3000, margin 50: the copy may go out until 2950, so the wait is 950, not ~4950
    expect(retryDelay(10, 2_000, 3_000, 50, 100, 5_000)).toBe(950);
  });

  it('gives up only when no copy sent from now on could be answered before the deadline', () => {
    expect(retryDelay(0, 2_950, 3_000, 50, 100, 5_000)).toBeUndefined();
    expect(retryDelay(0, 2_999, 3_000, 50, 100, 5_000)).toBeUndefined();
    expect(retryDelay(0, 2_949, 3_000, 50, 100, 5_000)).toBeLessThanOrEqual(1);
  });

  it('caps the exponential step', () => {
    expect([0, 1, 2, 6, 7, 40].map((n) => backoffStep(n, 100, 5_000))).toEqual([100, 200, 400, 5_000, 5_000, 5_000]);
  });
});

describe('NackBackoff', () => {
  const message = (sentAt: number, deadline: number): Outbound => {
    const outbound = new Outbound('x', 'k', Buffer.alloc(0), {}, 'id', deadline, jest.fn(), jest.fn());
    outbound.sentAt = sentAt;
    return outbound;
  };

  it('keeps at least 50 ms, or twice the smoothed round trip, for the answer to the last copy', () => {
    const backoff = new NackBackoff({ backoffInitialMs: 100, backoffMaxMs: 5_000 });
    expect(backoff.margin).toBe(50);
    backoff.retryAt(message(1_000, 10_000), 1_010); // a 10 ms round trip
    expect(backoff.margin).toBe(50);
    const slow = new NackBackoff({ backoffInitialMs: 100, backoffMaxMs: 5_000 });
    slow.retryAt(message(1_000, 10_000), 1_200); // 200 ms
    expect(slow.margin).toBe(400);
    slow.retryAt(message(1_000, 10_000), 1_040); // 40 ms: smoothed (7 * 200 + 40) / 8 = 180
    expect(slow.margin).toBe(360);
  });

  it('counts the nack and retries until the deadline minus the margin, then gives up', () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    const backoff = new NackBackoff({ backoffInitialMs: 100, backoffMaxMs: 5_000 });
    const outbound = message(2_000, 3_000);
    outbound.nacks = 6; // step 5000: the jittered wait (~4995 ms) would pass the deadline
    expect(backoff.retryAt(outbound, 2_002)).toBe(2_950);
    expect(outbound.nacks).toBe(7);
    outbound.sentAt = 2_950;
    expect(backoff.retryAt(outbound, 2_952)).toBeUndefined();
    expect(outbound.nacks).toBe(8);
  });
});
