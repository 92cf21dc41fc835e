// Without @opentelemetry/api (an optional peer, not installed here) the publisher and the consumer load and work, their
// telemetry a no-op: a message published (confirmed), consumed and acked.
const assert = require('node:assert/strict');
const { connect } = require('amqplib');
const { createPublisher } = require('@warren/publisher');
const { createConsumer } = require('@warren/consumer');
const { deriveTopology, parseTopology } = require('@warren/topology');
const { uniqueName } = require('@warren/testing');

async function main() {
  assert.throws(() => require.resolve('@opentelemetry/api'), { code: 'MODULE_NOT_FOUND' });
  const url = process.env.AMQP_URL;
  const queue = uniqueName('packcheck-otel');
  const connection = await connect(url);
  const channel = await connection.createChannel();
  await channel.assertQueue(queue, { durable: true });
  const topology = deriveTopology(parseTopology({ queues: { [queue]: { retry: false, deadLetter: false } } }));
  const publisher = createPublisher({ urls: url });
  const consumer = createConsumer({ urls: url, topology });
  try {
    const received = new Promise((resolve) => void consumer.consume(queue, (payload) => resolve(payload)));
    await publisher.publishRaw('', queue, { n: 1 });
    assert.deepEqual(await received, { n: 1 });
  } finally {
    await consumer.close({ timeoutMs: 1_000 });
    await publisher.close({ timeoutMs: 1_000 });
    await channel.deleteQueue(queue);
    await connection.close();
  }
  console.log('no @opentelemetry/api: a message published, consumed and acked');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
