import type { ConsumeMessage, Message, Options } from 'amqplib';
import { HEADERS } from '@warren/core';
import type { Delivery } from './context';

/**
 * The part of an amqplib `ConfirmChannel` a subscription uses: the seam where unit tests plug a fake channel.
 * @internal
 */
export interface ChannelLike {
  prefetch(count: number, global?: boolean): Promise<unknown>;
  consume(
    queue: string,
    onMessage: (message: ConsumeMessage | null) => void,
    options?: Options.Consume,
  ): Promise<{ consumerTag: string }>;
  cancel(consumerTag: string): Promise<unknown>;
  ack(message: Message, allUpTo?: boolean): void;
  nack(message: Message, allUpTo?: boolean, requeue?: boolean): void;
  publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
    callback: (error: unknown) => void,
  ): boolean;
  close(): Promise<void>;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'return', listener: (message: Message) => void): unknown;
}

/** @internal A delivery in flight, settled on the channel it arrived on. */
export type Pending = Delivery<ChannelLike>;

/**
 * amqplib throws when the channel is closing but has not emitted 'close' yet; the broker then requeues the message
 * itself, so there is nothing else to do.
 * @internal
 */
export function ackOnce(delivery: Pending, allUpTo: boolean): boolean {
  try {
    delivery.channel.ack(delivery.message, allUpTo);
    return true;
  } catch {
    return false;
  }
}

/** @internal Like `ackOnce`: false when the channel is already closing (the broker requeues it anyway). */
export function nackRequeue(delivery: Pending): boolean {
  try {
    delivery.channel.nack(delivery.message, false, true);
    return true;
  } catch {
    return false;
  }
}

/** @internal Identifies a hand-off in the broker's `basic.return` (which carries no delivery tag). */
export function returnKey(
  routingKey: string,
  properties: { messageId?: unknown; headers?: Record<string, unknown> },
): string {
  return `${routingKey}\u0000${String(properties.messageId)}\u0000${String(properties.headers?.[HEADERS.attempt])}`;
}
