import { createConsumer } from '@warren/consumer';
import { createPublisher } from '@warren/publisher';
import { startPrivateCluster } from '@warren/testing';
import { declare } from './harness/declare';
import { publishPaced } from './harness/publishPaced';
import { drained, settle } from './harness/settle';
import { withRetry } from './harness/withRetry';
import { expectClean, useScenario } from './harness/useScenario';

// kill -9 of the broker mid-stream, then a restart on the same data: every confirmed message must survive it.
const COUNT = 5_000;
const RATE = 500;
const MAX_IN_FLIGHT = 200;
const PREFETCH = 50;
const scenario = useScenario('2 broker kill -9 and restart');

it('loses no confirmed message when the broker is killed (-9) mid-stream and restarted', async () => {
  const { ledger } = scenario;
  const cluster = await withRetry(() => startPrivateCluster({ size: 1 }));
  scenario.defer(() => cluster.stop());
  const node = cluster.nodes[0]!;
  const queue = 'rel.kill';
  const topology = await declare(node, { queues: { [queue]: { type: 'quorum' } } });

  const publisher = createPublisher({
    urls: node.amqpUrl,
    maxInFlight: MAX_IN_FLIGHT,
    timeoutMs: 60_000,
    reconnectSeconds: 0.5,
  });
  const consumer = createConsumer({ urls: node.amqpUrl, topology, reconnectSeconds: 0.5 });
  scenario.defer(() => publisher.close({ timeoutMs: 1_000 }));
  scenario.defer(() => consumer.close({ timeoutMs: 1_000 }));
  let publisherDrops = 0;
  let consumerDrops = 0;
  publisher.on('disconnected', () => publisherDrops++);
  consumer.on('disconnected', () => consumerDrops++);
  await consumer.consume(queue, (_body, ctx) => void ledger.consumed(ctx.messageId!), { prefetch: PREFETCH });

  let crash: Promise<{ downMs: number }> | undefined;
  const run = await publishPaced(publisher, ledger, {
    queue,
    count: COUNT,
    ratePerSec: RATE,
    timeoutMs: 60_000,
    prefix: 'kill',
    before: (n) => {
      if (n !== COUNT / 4) return;
      const killedAt = Date.now();
      crash = node
        .kill()
        .then(() => node.restart())
        .then(() => ({ downMs: Date.now() - killedAt }));
    },
  });
  const { downMs } = await crash!;
  await run.settled;
  const empty = await settle(ledger, node.amqpUrl, [queue]);
  await consumer.close({ timeoutMs: 5_000 });
  await publisher.close({ timeoutMs: 5_000 });

  const verdict = scenario.finish(
    {
      drained: empty && (await drained(node.amqpUrl, [queue, `${queue}.dlq`])),
      duplicateBound: publisherDrops * MAX_IN_FLIGHT + consumerDrops * PREFETCH,
    },
    { downMs, publisherDrops, consumerDrops },
  );
  expectClean(verdict);
  expect(verdict.confirmed).toBe(COUNT);
  expect(publisherDrops).toBeGreaterThanOrEqual(1);
  scenario.passed();
});
