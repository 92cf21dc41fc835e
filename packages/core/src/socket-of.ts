import type { Socket } from 'node:net';

/** The socket under an amqplib connection (`ChannelModel.connection.stream`), when it has one. */
export function socketOf(connection: unknown): Socket | undefined {
  const stream = (connection as { connection?: { stream?: unknown } } | undefined)?.connection?.stream;
  return stream && typeof (stream as Socket).cork === 'function' ? (stream as Socket) : undefined;
}
