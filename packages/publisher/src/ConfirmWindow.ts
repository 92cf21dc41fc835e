import { Fifo } from './Fifo';
import type { Outbound } from './Outbound';

/**
 * @internal The messages sent on one confirm channel and not yet confirmed, indexed by delivery tag (the broker
 * numbers a channel's publishes 1, 2, 3, ...). An ack may be `multiple` (everything up to the tag) or for one tag
 * out of order, which leaves a hole.
 */
export class ConfirmWindow {
  private readonly slots = new Fifo<Outbound>();
  /** The delivery tag of the first slot. */
  private lowTag = 1;
  /** Sent and not yet confirmed (holes excluded). */
  size = 0;

  add(message: Outbound): void {
    this.slots.push(message);
    this.size++;
  }

  /** Removes the confirmed messages and hands each to `settle`. */
  confirm(tag: number, multiple: boolean, settle: (message: Outbound) => void): void {
    if (multiple) {
      while (this.lowTag <= tag && this.slots.length > 0) this.take(this.slots.shift(), settle);
      return;
    }
    const index = tag - this.lowTag;
    const message = index >= 0 ? this.slots.at(index) : undefined;
    if (message === undefined) return;
    this.slots.set(index, undefined);
    while (this.slots.length > 0 && this.slots.peek() === undefined) {
      this.slots.shift();
      this.lowTag++;
    }
    this.size--;
    settle(message);
  }

  /** The oldest unconfirmed message with this id that has not been returned yet (a return precedes its ack). */
  find(messageId: string): Outbound | undefined {
    for (let i = 0; i < this.slots.length; i++) {
      const message = this.slots.at(i);
      if (message !== undefined && message.returned === undefined && message.messageId === messageId) return message;
    }
    return undefined;
  }

  /** Everything still unconfirmed, in send order; the window is then empty (the channel is gone). */
  drain(): Outbound[] {
    const rest = this.slots.drain().filter((message): message is Outbound => message !== undefined);
    this.size = 0;
    return rest;
  }

  forEach(visit: (message: Outbound) => void): void {
    for (let i = 0; i < this.slots.length; i++) {
      const message = this.slots.at(i);
      if (message !== undefined) visit(message);
    }
  }

  private take(message: Outbound | undefined, settle: (message: Outbound) => void): void {
    this.lowTag++;
    if (message === undefined) return;
    this.size--;
    settle(message);
  }
}
