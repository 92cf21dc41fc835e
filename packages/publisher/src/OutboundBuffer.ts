import { Fifo } from './Fifo';
import type { ResolvedOptions } from './options';
import type { Outbound } from './Outbound';

/** @internal What `admit` did with a message: `full` means refused (`whenBufferFull: 'reject'`). */
export type Admission = 'held' | 'waiting' | 'full';

/**
 * @internal The publisher's buffer and its limits (`maxBufferMessages`, `maxBufferBytes`). A message is held from
 * its acceptance until it settles, wherever it is meanwhile (pending, in flight or backing off); a waiting one is not
 * accepted yet. `release` is what lets waiting messages in, in order.
 */
export class OutboundBuffer {
  /** Accepted, not yet sent (or sent and to be re-sent). */
  readonly pending = new Fifo<Outbound>();
  /** Not accepted yet: waiting for buffer space (`whenBufferFull: 'wait'`). */
  readonly waiting = new Fifo<Outbound>();
  private messages = 0;
  private bytes = 0;
  /** Set by `whenIdle`: called when the last held or waiting message leaves. */
  private onIdle: (() => void) | undefined;

  /** Set when a publish found the buffer full; cleared when it has room and nobody waits. */
  private full = false;

  /** `onFull(true)` when a publish first finds the buffer full, `onFull(false)` once it has room again. */
  constructor(
    private readonly options: ResolvedOptions,
    private readonly onFull: (full: boolean) => void = () => undefined,
    private readonly settled?: { confirmed(message: Outbound): void; failed(message: Outbound, error: Error): void },
  ) {}

  get heldMessages(): number {
    return this.messages;
  }

  get heldBytes(): number {
    return this.bytes;
  }

  /** Nothing held, nothing waiting. */
  get idle(): boolean {
    return this.messages === 0 && this.waiting.length === 0;
  }

  /** Holds the message and queues it to be sent if there is room (and nobody waits ahead of it). */
  admit(message: Outbound): Admission {
    if (this.waiting.length === 0 && this.hasRoom(message.body.length)) {
      this.hold(message);
      this.pending.push(message);
      return 'held';
    }
    if (!this.full) this.fullChanged(true);
    if (this.options.whenBufferFull !== 'wait') return 'full';
    this.waiting.push(message);
    return 'waiting';
  }

  /** Settles the message as confirmed (once) and frees its place. */
  succeed(message: Outbound): void {
    if (message.settled) return;
    message.settled = true;
    this.release(message);
    this.settled?.confirmed(message);
    message.resolve({ messageId: message.messageId });
  }

  /** Settles the message as failed (once) and frees its place. */
  fail(message: Outbound, error: Error): void {
    if (message.settled) return;
    message.settled = true;
    this.release(message);
    this.settled?.failed(message, error);
    message.reject(error);
  }

  /** Frees the message's place in the buffer and lets waiting publishes in. */
  release(message: Outbound): void {
    if (!message.held) return;
    message.held = false;
    this.messages--;
    this.bytes -= message.body.length;
    while (this.waiting.length > 0) {
      const next = this.waiting.peek() as Outbound;
      if (!next.settled && !this.hasRoom(next.body.length)) break;
      this.waiting.shift();
      if (next.settled) continue;
      this.hold(next);
      this.pending.push(next);
    }
    if (this.full && this.waiting.length === 0 && this.hasRoom(0)) this.fullChanged(false);
    if (this.messages === 0 && this.waiting.length === 0) this.onIdle?.();
  }

  /** Resolves once nothing is held or waiting any more, or after `timeoutMs`. */
  whenIdle(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** A message bigger than `maxBufferBytes` still fits in an empty buffer, or it could never be sent. */
  private hasRoom(bytes: number): boolean {
    const { maxBufferMessages, maxBufferBytes } = this.options;
    return this.messages < maxBufferMessages && (this.bytes + bytes <= maxBufferBytes || this.bytes === 0);
  }

  private fullChanged(full: boolean): void {
    this.full = full;
    this.onFull(full);
  }

  private hold(message: Outbound): void {
    message.held = true;
    this.messages++;
    this.bytes += message.body.length;
  }
}
