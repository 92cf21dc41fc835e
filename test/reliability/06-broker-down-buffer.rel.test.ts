import { createConsumer } from '@warren/consumer';
import { createPublisher } from '@warren/publisher';
import { startPrivateCluster } from '@warren/testing';
import { declare } from './harness/declare';
import { publishPaced } from './harness/publishPaced';
import { drained, settle, sleep } from './harness/settle';
import { withRetry } from './harness/withRetry';
import { expectClean, useScenario } from './harness/useScenario';

// The broker down for at least 30 s (killed, restarted 30 s later) with the publisher's buffer capped at 500: exactly
// 500 of the publishes made while it is down are held (the rest fail at once with BUFFER_FULL, definite), and every
// held one arrives after the restart.
const CAP = 500;
const BEFORE = 500;
const DURING = 800;
const DOWN_MS = 30_000;
const scenario = useScenario('6 broker down 30 s, buffer cap 500');

it('holds exactly the buffer cap while the broker is down and delivers all of it', async () => {
  const { ledger } = scenario;
  const cluster = await withRetry(() => startPrivateCluster({ size: 1 }));
  scenario.defer(() => cluster.stop());
  const node = cluster.nodes[0]!;
  const queue = 'rel.down';
  const topology = await declare(node, { queues: { [queue]: { type: 'quorum' } } });

  const publisher = createPublisher({
    urls: node.amqpUrl,
    maxBufferMessages: CAP,
    maxInFlight: 200,
    whenBufferFull: 'reject',
    timeoutMs: 90_000,
    reconnectSeconds: 0.5,
  });
  const consumer = createConsumer({ urls: node.amqpUrl, topology, reconnectSeconds: 0.5 });
  scenario.defer(() => publisher.close({ timeoutMs: 1_000 }));
  scenario.defer(() => consumer.close({ timeoutMs: 1_000 }));
  let consumerDrops = 0;
  let publisherDrops = 0;
  publisher.on('disconnected', () => publisherDrops++);
  consumer.on('disconnected', () => consumerDrops++);
  await consumer.consume(queue, (_body, ctx) => void ledger.consumed(ctx.messageId!), { prefetch: 50 });

  // Up: everything confirmed, so the buffer is empty when the broker goes.
  const before = await publishPaced(publisher, ledger, {
    queue,
    count: BEFORE,
    ratePerSec: 500,
    timeoutMs: 90_000,
    prefix: 'up',
  });
  await before.settled;
  const killedAt = Date.now();
  await node.kill();
  const during = await publishPaced(publisher, ledger, {
    queue,
    count: DURING,
    ratePerSec: 400,
    timeoutMs: 90_000,
    prefix: 'down',
  });
  const held = ledger.unsettled();
  await sleep(Math.max(0, DOWN_MS - (Date.now() - killedAt))); // down DOWN_MS, plus the restart (5-25 s)
  await node.restart();
  const downMs = Date.now() - killedAt;
  await during.settled;
  const empty = await settle(ledger, node.amqpUrl, [queue]);
  await consumer.close({ timeoutMs: 5_000 });
  await publisher.close({ timeoutMs: 5_000 });

  const verdict = scenario.finish(
    {
      drained: empty && (await drained(node.amqpUrl, [queue, `${queue}.dlq`])),
      duplicateBound: publisherDrops * 200 + consumerDrops * 50,
    },
    { downMs, cap: CAP, held, publisherDrops, consumerDrops },
  );
  expectClean(verdict);
  expect(held).toBe(CAP);
  expect(verdict.failed).toEqual({ BUFFER_FULL: DURING - CAP });
  expect(verdict.confirmed).toBe(BEFORE + CAP);
  expect(downMs).toBeGreaterThanOrEqual(DOWN_MS);
  scenario.passed();
});
