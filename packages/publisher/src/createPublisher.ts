import { openConnection } from '@warren/core';
import { resolveOptions, type PublisherOptions } from './options';
import type { ConnectionManagerLike } from './ChannelSlot';
import { Publisher } from './Publisher';
import { logPublisher } from './publisherLog';

/**
 * Creates a publisher and starts connecting (in the background: publishes made before the connection is up wait
 * in the buffer). Throws `WarrenError` (`INVALID_OPTION`, `INVALID_URL`) on bad options.
 *
 * @example
 * const publisher = createPublisher({ urls: process.env.AMQP_URL!, name: 'orders-api' });
 * const { messageId } = await publisher.publish(OrderCreated, { orderId: '42' });
 */
export function createPublisher(options: PublisherOptions): Publisher {
  const resolved = resolveOptions(options);
  const publisher = new Publisher(
    resolved,
    (onFatal) => openConnection(options, onFatal) as unknown as ConnectionManagerLike,
  );
  if (options.logger) logPublisher(publisher, options.logger, options.name);
  return publisher;
}
