import { connect, type Channel, type ChannelModel } from 'amqplib';
import { vhostOf } from '@warren/core';
import { ManagementClient, type WorkQueueLayout } from '@warren/topology';

/** Ready messages in each queue of a work queue's layout. */
export interface Depths {
  readonly work: number;
  /** By tier queue name, in tier order. */
  readonly retry: Readonly<Record<string, number>>;
  readonly deadLetter: number;
  /**
   * Messages whose delay is over but that the work queue refused while it was full: the tier queue holds them
   * (at-least-once dead-lettering) and RabbitMQ re-sends them later. Read by `settled()` only; 0 otherwise.
   */
  readonly returning: number;
}

/** How often the management API refreshes its message counts (RabbitMQ's `collect_statistics_interval`). */
const STATS_INTERVAL_MS = 5_000;

/**
 * Reads queue depths over AMQP (`queue.declare passive`): exact and immediate, where the management API's
 * message counts lag about five seconds behind. Also purges, to start the demo from empty queues.
 */
export class QueueDepths {
  private channel: Promise<Channel> | undefined;

  private constructor(
    private readonly connection: ChannelModel,
    private readonly management: ManagementClient,
    private readonly layout: WorkQueueLayout,
  ) {
    connection.on('error', () => undefined);
  }

  static async open(amqpUrl: string, managementUrl: string, layout: WorkQueueLayout): Promise<QueueDepths> {
    const connection = await connect(amqpUrl, { clientProperties: { connection_name: 'timeline-demo' } });
    return new QueueDepths(connection, new ManagementClient(managementUrl, vhostOf(amqpUrl)), layout);
  }

  async read(): Promise<Depths> {
    const retry: Record<string, number> = {};
    for (const tier of this.layout.retryTiers) retry[tier.queue] = await this.count(tier.queue);
    const deadLetter = this.layout.deadLetterQueue ? await this.count(this.layout.deadLetterQueue) : 0;
    return { work: await this.count(this.layout.queue), retry, deadLetter, returning: 0 };
  }

  /**
   * The depths once nothing moves any more (no consumer): waits for the management API's next statistics round,
   * then adds the tier messages waiting to re-enter the work queue, which only the management API reports.
   */
  async settled(): Promise<Depths> {
    await new Promise((resolve) => setTimeout(resolve, STATS_INTERVAL_MS + 500));
    let returning = 0;
    for (const tier of this.layout.retryTiers) {
      const queue = (await this.management.queue(tier.queue)) as { messages_dlx?: number };
      returning += queue.messages_dlx ?? 0;
    }
    return { ...(await this.read()), returning };
  }

  async purgeAll(): Promise<void> {
    const queues = [this.layout.queue, ...this.layout.retryTiers.map((tier) => tier.queue)];
    if (this.layout.deadLetterQueue) queues.push(this.layout.deadLetterQueue);
    for (const queue of queues) await (await this.open()).purgeQueue(queue);
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }

  private async count(queue: string): Promise<number> {
    return (await (await this.open()).checkQueue(queue)).messageCount;
  }

  /** One channel, reopened if the broker closed it (a missing queue closes the channel with 404). */
  private open(): Promise<Channel> {
    this.channel ??= this.connection.createChannel().then((channel) => {
      channel.on('error', () => undefined);
      channel.on('close', () => (this.channel = undefined));
      return channel;
    });
    return this.channel;
  }
}

/** Ready in the retry tiers, plus those waiting to re-enter the work queue. */
export function totalRetrying(depths: Depths): number {
  return Object.values(depths.retry).reduce((sum, n) => sum + n, depths.returning);
}
