import { connect } from 'amqplib';

/** The worker's scheduler declares its lease queue and tick log itself; the demo deletes them when it cleans up. */
export async function deleteSchedulerQueues(amqpUrl: string, namespace: string): Promise<void> {
  const connection = await connect(amqpUrl, { clientProperties: { connection_name: 'timeline-demo-cleanup' } });
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    for (const queue of [`${namespace}.scheduler`, `${namespace}.scheduler.ticks`]) await channel.deleteQueue(queue);
  } finally {
    await connection.close().catch(() => undefined);
  }
}
