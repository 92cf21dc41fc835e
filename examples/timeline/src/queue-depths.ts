import { connect, type Channel, type ChannelModel } from 'amqplib';
import type { WorkQueueLayout } from '@warren/topology';

/** Ready messages in each queue of a work queue's layout. */
export interface Depths {
  readonly work: number;
  /** By tier queue name, in tier order. */
  readonly retry: Readonly<Record<string, number>>;
  readonly deadLetter: number;
}

/**
 * Reads queue depths over AMQP (`queue.declare passive`): exact and immediate, where the management API's
 * message counts lag about five seconds behind. Also purges, to start the demo from empty queues.
 */
export class QueueDepths {
  private channel: Promise<Channel> | undefined;

  private constructor(
    private readonly connection: ChannelModel,
    private readonly layout: WorkQueueLayout,
  ) {
    connection.on('error', () => undefined);
  }

  static async open(amqpUrl: string, layout: WorkQueueLayout): Promise<QueueDepths> {
    return new QueueDepths(await connect(amqpUrl, { clientProperties: { connection_name: 'timeline-demo' } }), layout);
  }

  async read(): Promise<Depths> {
    const retry: Record<string, number> = {};
    for (const tier of this.layout.retryTiers) retry[tier.queue] = await this.count(tier.queue);
    const deadLetter = this.layout.deadLetterQueue ? await this.count(this.layout.deadLetterQueue) : 0;
    return { work: await this.count(this.layout.queue), retry, deadLetter };
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

export function totalRetrying(depths: Depths): number {
  return Object.values(depths.retry).reduce((sum, n) => sum + n, 0);
}
