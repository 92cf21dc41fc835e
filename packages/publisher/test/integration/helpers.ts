import type { EventEmitter } from 'node:events';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { uniqueName, type BrokerHandle } from '@warren/testing';
import { createPublisher, type Publisher, type PublisherOptions } from '../../src';

/** Everything a test file must not see: unhandled rejections, uncaught exceptions, `'error'` events. */
export function watchForStrayErrors(): { errors: unknown[] } {
  const errors: unknown[] = [];
  const onError = (error: unknown): number => errors.push(error);
  beforeAll(() => {
    process.on('unhandledRejection', onError);
    process.on('uncaughtException', onError);
  });
  afterAll(() => {
    process.off('unhandledRejection', onError);
    process.off('uncaughtException', onError);
    expect(errors).toEqual([]);
  });
  return { errors };
}

/** A publisher that is closed after the file, and whose `'error'` events (there must be none) are recorded. */
export function openPublisher(
  broker: BrokerHandle,
  stray: { errors: unknown[] },
  options: Partial<PublisherOptions> = {},
): Publisher {
  const publisher = createPublisher({ urls: broker.amqpUrl, name: uniqueName('publisher'), ...options });
  (publisher as EventEmitter).on('error', (error: unknown) => stray.errors.push(error));
  broker.teardown(() => publisher.close({ timeoutMs: 1_000 }));
  return publisher;
}

/** A raw amqplib connection for declaring and consuming in tests (closed after the file). */
export async function rawChannel(broker: BrokerHandle): Promise<Channel> {
  const connection: ChannelModel = await connect(broker.amqpUrl);
  connection.on('error', () => undefined);
  broker.teardown(() => connection.close().catch(() => undefined));
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  return channel;
}

/** Declares a direct exchange bound to a queue (both deleted after the file). */
export async function declareRoute(
  broker: BrokerHandle,
  channel: Channel,
  queueArguments: Record<string, unknown> = {},
): Promise<{ exchange: string; queue: string; routingKey: string }> {
  const exchange = broker.trackExchange(uniqueName('pub-ex'));
  const queue = broker.trackQueue(uniqueName('pub-q'));
  await channel.assertExchange(exchange, 'direct', { durable: true });
  await channel.assertQueue(queue, { durable: true, arguments: queueArguments });
  await channel.bindQueue(queue, exchange, 'k');
  return { exchange, queue, routingKey: 'k' };
}

/** Consumes a queue and counts deliveries by messageId until `expected` distinct ids have arrived. */
export async function countById(
  channel: Channel,
  queue: string,
  expected: number,
  timeoutMs: number,
): Promise<{ distinct: number; duplicates: number; messages: ConsumeMessage[] }> {
  const seen = new Set<string>();
  const messages: ConsumeMessage[] = [];
  let duplicates = 0;
  await channel.prefetch(1_000);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${seen.size} of ${expected} distinct messages arrived`)),
      timeoutMs,
    );
    const consuming = channel.consume(queue, (message) => {
      if (!message) return;
      channel.ack(message);
      const id = String(message.properties.messageId);
      if (seen.has(id)) duplicates++;
      seen.add(id);
      if (messages.length < 10) messages.push(message);
      if (seen.size >= expected) {
        clearTimeout(timer);
        resolve();
      }
    });
    consuming.catch(reject);
  });
  return { distinct: seen.size, duplicates, messages };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
