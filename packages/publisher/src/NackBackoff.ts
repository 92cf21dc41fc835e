import { retryDelay } from './backoff';
import type { Outbound } from './Outbound';

/** The least time kept for the broker's answer to a re-sent copy, whatever the round trips measured. */
const MIN_MARGIN_MS = 50;

/**
 * @internal When a nacked message is sent again: after a jittered exponential back-off, and only while the broker
 * can still answer that copy before the message's deadline. The last wait is shortened to end one round trip before
 * the deadline (twice the smoothed send-to-nack time, as TCP's SRTT: 7/8 old, 1/8 new; at least 50 ms), so the
 * budget is used to its end and a `BrokerBusyError` still means "not accepted": no copy is on its way.
 */
export class NackBackoff {
  private smoothedRoundTrip: number | undefined;

  constructor(private readonly options: { readonly backoffInitialMs: number; readonly backoffMaxMs: number }) {}

  /** Counts the nack of `message`; returns when to send it again, or undefined when it must fail now. */
  retryAt(message: Outbound, now: number): number | undefined {
    this.observe(now - message.sentAt);
    const { backoffInitialMs, backoffMaxMs } = this.options;
    const delay = retryDelay(message.nacks, now, message.deadline, this.margin, backoffInitialMs, backoffMaxMs);
    message.nacks++;
    return delay === undefined ? undefined : now + delay;
  }

  /** How long before a deadline the last copy may go out. */
  get margin(): number {
    return Math.max(MIN_MARGIN_MS, 2 * (this.smoothedRoundTrip ?? 0));
  }

  private observe(ms: number): void {
    const sample = Math.max(0, ms);
    const smoothed = this.smoothedRoundTrip;
    this.smoothedRoundTrip = smoothed === undefined ? sample : (smoothed * 7 + sample) / 8;
  }
}
