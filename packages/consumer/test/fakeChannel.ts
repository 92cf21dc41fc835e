import { EventEmitter } from 'node:events';
import type { ConsumeMessage, Message, Options } from 'amqplib';
import type { ChannelLike } from '../src/channel';

export interface Published {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
  confirm: (error?: unknown) => void;
}

/** An in-memory stand-in for an amqplib ConfirmChannel that records what the subscription does with it. */
export class FakeChannel extends EventEmitter implements ChannelLike {
  prefetchCount: number | undefined;
  onMessage: ((message: ConsumeMessage | null) => void) | undefined;
  consumedQueue: string | undefined;
  readonly acks: Message[] = [];
  /** Every basic.ack as the broker would see it: delivery tag and `multiple`. */
  readonly ackFrames: { tag: number; multiple: boolean }[] = [];
  readonly nacks: { message: Message; requeue: boolean | undefined }[] = [];
  readonly published: Published[] = [];
  readonly cancelled: string[] = [];
  closed = false;
  private tag = 0;
  private nextDeliveryTag = 1;

  prefetch(count: number): Promise<void> {
    this.prefetchCount = count;
    return Promise.resolve();
  }
  consume(queue: string, onMessage: (message: ConsumeMessage | null) => void): Promise<{ consumerTag: string }> {
    this.consumedQueue = queue;
    this.onMessage = onMessage;
    return Promise.resolve({ consumerTag: `tag-${++this.tag}` });
  }
  cancel(consumerTag: string): Promise<void> {
    this.cancelled.push(consumerTag);
    this.onMessage = undefined;
    return Promise.resolve();
  }
  ack(message: Message, allUpTo = false): void {
    if (this.closed) throw new Error('Channel closed');
    this.acks.push(message);
    this.ackFrames.push({ tag: message.fields.deliveryTag, multiple: allUpTo });
  }
  nack(message: Message, _allUpTo?: boolean, requeue?: boolean): void {
    if (this.closed) throw new Error('Channel closed');
    this.nacks.push({ message, requeue });
  }
  publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
    callback: (error: unknown) => void,
  ): boolean {
    this.published.push({ exchange, routingKey, content, options, confirm: (error?: unknown) => callback(error) });
    return true;
  }
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const p of this.published) p.confirm(new Error('channel closed'));
      this.emit('close');
    }
    return Promise.resolve();
  }

  /** Delivers a message as the broker would. */
  deliver(
    body: string | object,
    properties: Partial<ConsumeMessage['properties']> = {},
    redelivered = false,
  ): ConsumeMessage {
    const message = {
      content: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      fields: {
        deliveryTag: this.nextDeliveryTag++,
        redelivered,
        exchange: 'orders',
        routingKey: 'order.created',
        consumerTag: `tag-${this.tag}`,
      },
      properties: { contentType: 'application/json', headers: {}, ...properties },
    } as unknown as ConsumeMessage;
    if (!this.onMessage) throw new Error('no consumer');
    this.onMessage(message);
    return message;
  }

  /** The broker returns an unroutable mandatory publish (before its confirm). */
  returnLast(): void {
    const last = this.published[this.published.length - 1]!;
    this.emit('return', {
      content: last.content,
      fields: { routingKey: last.routingKey, exchange: last.exchange },
      properties: { messageId: last.options.messageId, headers: last.options.headers },
    });
  }
}

/** Waits `ms`, then one more event-loop turn (acks are flushed on `setImmediate`). */
export const tick = async (ms = 0): Promise<void> => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await new Promise((resolve) => setImmediate(resolve));
};
