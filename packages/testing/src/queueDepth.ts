import { connect } from 'amqplib';

/**
 * The exact number of *ready* messages in a queue right now, over AMQP (`queue.declare` passive), without the
 * management API's ~5 s stats lag. Unacknowledged messages are not counted. Throws if the queue does not exist.
 */
export async function queueDepth(amqpUrl: string, queue: string): Promise<number> {
  const connection = await connect(amqpUrl);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    // A missing queue closes the channel with 404; the rejection of checkQueue carries it to the caller.
    channel.on('error', () => undefined);
    const { messageCount } = await channel.checkQueue(queue);
    return messageCount;
  } finally {
    await connection.close().catch(() => undefined);
  }
}
