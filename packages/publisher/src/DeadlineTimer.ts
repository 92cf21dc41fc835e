import type { ConfirmWindow } from './ConfirmWindow';
import type { Outbound } from './Outbound';
import type { OutboundBuffer } from './OutboundBuffer';

/** @internal What the deadline timer asks of the publisher; given once, so nothing is allocated per message. */
export interface DeadlineHooks {
  /** The messages sent on the current channel and not yet confirmed (the window changes with the channel). */
  inFlight(): ConfirmWindow;
  /** Fails a message whose deadline has passed; `inFlight`: it was sent and not yet answered. */
  expire(message: Outbound, inFlight: boolean): void;
  /** Sends what the sweep put back in the buffer. */
  pump(): void;
}

/**
 * @internal One timer for all the deadlines and back-offs of a publisher, not one per message: it is armed for the
 * earliest time something may be due, and its sweep scans the buffer, the nacked messages and the window.
 */
export class DeadlineTimer {
  /** Nacked, waiting for their back-off to pass. */
  private delayed: Outbound[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  /** No deadline or retry is due before this time: the sweep can skip the scan. */
  private earliest = Infinity;

  constructor(
    private readonly buffer: OutboundBuffer,
    private readonly hooks: DeadlineHooks,
  ) {}

  /** Makes sure the sweep runs by `time` (a deadline or the end of a back-off). */
  watch(time: number): void {
    if (time < this.earliest) this.earliest = time;
    if (time >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = time;
    // Unref'd: the connection (or its reconnect timer) is what keeps a process alive, not a pending deadline.
    this.timer = setTimeout(this.sweep, Math.max(0, time - Date.now())).unref();
  }

  /** Keeps a nacked message until its `retryAt`, then puts it back in the buffer. */
  delay(message: Outbound): void {
    this.delayed.push(message);
    this.watch(message.retryAt);
  }

  /** Takes out the nacked messages still backing off (the publisher fails them all). */
  drain(): Outbound[] {
    return this.delayed.splice(0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /** Moves due retries back to the buffer and fails the messages whose deadline has passed. */
  private readonly sweep = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    if (now < this.earliest) return this.watch(this.earliest);
    this.earliest = Infinity;
    const delayed = this.delayed;
    this.delayed = [];
    for (const message of delayed) {
      if (message.settled) continue;
      // Held, not in flight and nacked: `expire` fails it as refused (busy, or timed out if a copy may be in).
      if (message.deadline <= now) this.hooks.expire(message, false);
      else if (message.retryAt <= now) this.buffer.pending.push(message);
      else this.keep(message, message.retryAt, this.delayed);
    }
    this.buffer.pending.filter((message) => this.alive(message, now, false));
    this.buffer.waiting.filter((message) => this.alive(message, now, false));
    this.hooks.inFlight().forEach((message) => this.alive(message, now, true));
    this.hooks.pump();
  };

  /** Fails a message past its deadline; otherwise re-arms the sweep for it. */
  private alive(message: Outbound, now: number, inFlight: boolean): boolean {
    if (message.settled) return false;
    if (message.deadline > now) return this.keep(message, message.deadline);
    this.hooks.expire(message, inFlight);
    return false;
  }

  private keep(message: Outbound, time: number, into?: Outbound[]): true {
    into?.push(message);
    this.watch(Math.min(time, message.deadline));
    return true;
  }
}
