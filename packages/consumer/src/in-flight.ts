import type { Pending } from './channel';

/**
 * @internal The deliveries in flight of one subscription (handler running or settle unfinished), and when one last
 * left: the stall check's sign of progress.
 */
export class InFlight extends Set<Pending> {
  /** `performance.now()` when a delivery last left, or when the subscription was created. */
  lastDoneAt = performance.now();

  override delete(delivery: Pending): boolean {
    this.lastDoneAt = performance.now();
    return super.delete(delivery);
  }
}
