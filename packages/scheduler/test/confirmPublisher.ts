import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { codecOf, type MessageContract } from '@warren/core';
import type { TickPublisher, TickPublishOptions } from '../src';

/**
 * A `TickPublisher` over one amqplib confirm channel, for the scheduler's tests: the scheduler takes the service's
 * `Publisher`, but its tests may not import another runtime. Connects on first use; no reconnect (the tests cut the
 * lease's connection, not this one).
 */
export function confirmPublisher(url: string): TickPublisher & { close(): Promise<void> } {
  let model: ChannelModel | undefined;
  let channel: Promise<ConfirmChannel> | undefined;
  const open = (): Promise<ConfirmChannel> =>
    (channel ??= connect(url).then((connection) => {
      model = connection;
      connection.on('error', () => undefined);
      return connection.createConfirmChannel();
    }));
  const send = async (exchange: string, key: string, body: Buffer, type: string, options: TickPublishOptions) => {
    const ch = await open();
    const { messageId, headers } = options;
    await new Promise<void>((resolve, reject) =>
      ch.publish(exchange, key, body, { messageId, headers, contentType: type, persistent: true }, (error) =>
        error ? reject(error as Error) : resolve(),
      ),
    );
  };
  return {
    publish: (contract: MessageContract, payload: never, options: TickPublishOptions) => {
      const codec = codecOf(contract);
      return send(contract.exchange, contract.routingKey, codec.encode(payload) as Buffer, codec.contentType, options);
    },
    publishRaw: (exchange, key, body, options) =>
      send(exchange, key, Buffer.from(JSON.stringify(body)), 'application/json', options),
    close: async () => {
      await channel?.catch(() => undefined);
      await model?.close().catch(() => undefined);
    },
  };
}
