import { createConsumer } from '@warren/consumer';
import { createPublisher } from '@warren/publisher';
import { startFaultProxy, startPrivateBroker } from '@warren/testing';
import { declare } from './harness/declare';
import { publishPaced } from './harness/publishPaced';
import { drained, settle } from './harness/settle';
import { withRetry } from './harness/withRetry';
import { expectClean, useScenario } from './harness/useScenario';

// 10,000 × 1 KiB at 1,000/s on a quorum queue (the 30,000 scaled to fit CI: the rate and the number of cuts
// are what matter) through 6 publisher and 3 consumer connection cuts.
const COUNT = 10_000;
const RATE = 1_000;
const MAX_IN_FLIGHT = 200;
const PREFETCH = 50;
const scenario = useScenario('1 connection cuts (6 publisher, 3 consumer)');

it('loses no confirmed message through 6 publisher and 3 consumer cuts', async () => {
  const { ledger } = scenario;
  const broker = await withRetry(() => startPrivateBroker());
  scenario.defer(() => broker.stop());
  const queue = 'rel.cuts';
  const topology = await declare(broker, { queues: { [queue]: { type: 'quorum' } } });
  const publisherProxy = await startFaultProxy({ target: broker.amqpUrl });
  const consumerProxy = await startFaultProxy({ target: broker.amqpUrl });
  scenario.defer(() => publisherProxy.close());
  scenario.defer(() => consumerProxy.close());

  const publisher = createPublisher({
    urls: publisherProxy.url,
    maxInFlight: MAX_IN_FLIGHT,
    timeoutMs: 30_000,
    reconnectSeconds: 0.5,
  });
  const consumer = createConsumer({ urls: consumerProxy.url, topology, reconnectSeconds: 0.5 });
  scenario.defer(() => publisher.close({ timeoutMs: 1_000 }));
  scenario.defer(() => consumer.close({ timeoutMs: 1_000 }));
  let publisherDrops = 0;
  let consumerDrops = 0;
  publisher.on('disconnected', () => publisherDrops++);
  consumer.on('disconnected', () => consumerDrops++);
  await consumer.consume(queue, (_body, ctx) => void ledger.consumed(ctx.messageId!), { prefetch: PREFETCH });

  const publisherCuts = new Set([1, 2, 3, 4, 5, 6].map((k) => Math.round((COUNT * k) / 7)));
  const consumerCuts = new Set([1, 2, 3].map((k) => Math.round((COUNT * k) / 4) + 300));
  const run = await publishPaced(publisher, ledger, {
    queue,
    count: COUNT,
    ratePerSec: RATE,
    timeoutMs: 30_000,
    prefix: 'cut',
    before: (n) => {
      if (publisherCuts.has(n)) publisherProxy.cut();
      if (consumerCuts.has(n)) consumerProxy.cut();
    },
  });
  await run.settled;
  const empty = await settle(ledger, broker.amqpUrl, [queue]);
  await consumer.close({ timeoutMs: 5_000 });
  await publisher.close({ timeoutMs: 5_000 });

  const verdict = scenario.finish(
    {
      drained: empty && (await drained(broker.amqpUrl, [queue, `${queue}.dlq`])),
      duplicateBound: publisherDrops * MAX_IN_FLIGHT + consumerDrops * PREFETCH,
    },
    { publisherDrops, consumerDrops, failed: ledger.verdict({ drained: true }).failed },
  );
  expectClean(verdict);
  expect({ publisherDrops, consumerDrops }).toEqual({ publisherDrops: 6, consumerDrops: 3 });
  expect(verdict.confirmed).toBe(COUNT);
  scenario.passed();
});
