import { ackOnce, type ChannelLike, type Pending } from './channel';

/**
 * The acks of one subscription decided in one event-loop turn, sent together on the next (`setImmediate`): one
 * `basic.ack` with `multiple` for every queued delivery whose tag is below the lowest tag still outstanding (a
 * running handler, a hand-off awaiting its confirm), single acks for the rest. Each ack is a socket write, so this
 * saves most of the client CPU an ack costs. Deliveries of a channel that died meanwhile are skipped: the broker has
 * requeued them.
 * @internal
 */
export class AckBatcher {
  private pending: Pending[] = [];

  /**
   * @param inFlight the subscription's outstanding deliveries: a `multiple` ack must not cover one of them.
   * @param liveChannel the channel acks may go to now (read at flush time: it may have closed since the ack).
   * @param acked called for every delivery of a flush, after the acks went out; `sent` is false when its channel
   *   died before the flush.
   */
  constructor(
    private readonly inFlight: ReadonlySet<Pending>,
    private readonly liveChannel: () => ChannelLike | undefined,
    private readonly acked: (delivery: Pending, sent: boolean) => void,
  ) {}

  /** Queues the ack of a delivery of the live channel; the first one of a turn schedules the flush. */
  ack(delivery: Pending): void {
    delivery.ackQueued = true;
    this.pending.push(delivery);
    if (this.pending.length === 1) setImmediate(this.flush);
  }

  /** Sends the queued acks now (also called before the channel closes, so finished work is not redelivered). */
  readonly flush = (): void => {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const channel = this.liveChannel();
    let floor = Infinity;
    for (const d of this.inFlight) {
      if (d.channel === channel && !d.finished && !d.ackQueued) floor = Math.min(floor, d.message.fields.deliveryTag);
    }
    let last: Pending | undefined;
    for (const delivery of batch) {
      if (delivery.channel !== channel) continue;
      const tag = delivery.message.fields.deliveryTag;
      if (tag > floor) ackOnce(delivery, false);
      else if (last === undefined || tag > last.message.fields.deliveryTag) last = delivery;
    }
    if (last !== undefined) ackOnce(last, true);
    for (const delivery of batch) this.acked(delivery, delivery.channel === channel);
  };
}
