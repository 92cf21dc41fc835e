import type { ChannelModel } from 'amqplib';
import { connectOnce, ConnectionConfigError, WarrenError, type TlsOptions } from '@warren/core';

/**
 * `connectOnce`, with one more diagnosis: a port that answers in another protocol (an HTTP server, the management
 * port) makes amqplib read its first bytes as a huge frame. That is a wrong URL, not an unreachable broker.
 * @internal
 */
export async function openAmqp(urls: readonly string[], name: string, tls?: TlsOptions): Promise<ChannelModel> {
  try {
    return await connectOnce(urls, name, tls);
  } catch (error) {
    if (error instanceof WarrenError && /Frame size \d+ exceeds maxFrameSize/.test(error.message)) {
      throw new ConnectionConfigError(
        'NOT_AMQP',
        `The server at the AMQP URL does not speak AMQP 0-9-1 (${error.message.replace(/^Cannot connect to RabbitMQ /, '')}). ` +
          `Point --url / AMQP_URL at RabbitMQ's AMQP port (5672, amqps 5671), not the management port (15672) or ` +
          `another service.`,
        { cause: error },
      );
    }
    throw error;
  }
}
