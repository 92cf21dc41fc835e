import { createConsumer } from '@warren/consumer';
import { createPublisher } from '@warren/publisher';
import { startFaultProxy, startPrivateBroker } from '@warren/testing';
import { declare } from './harness/declare';
import { publishPaced } from './harness/publishPaced';
import { drained, settle } from './harness/settle';
import { withRetry } from './harness/withRetry';
import { expectClean, useScenario } from './harness/useScenario';

// close() of the publisher and the consumer while their connections are silently dead (a black hole, heartbeat far
// too slow to notice): the publisher must settle within its timeout plus one bounded 5 s step (issue 15, D1), the
// consumer within its timeout plus its three documented 5 s steps (cancel, close the channels, close the
// connection). The messages confirmed before the hole must all be consumed; the ones caught in it fail
// (indeterminate).
const CLOSE_TIMEOUT_MS = 2_000;
/** `CLOSE_STEP_MS` of @warren/core: every broker round trip of a close() is bounded by it. */
const BOUNDED_STEP_MS = 5_000;
/** Timer and scheduling slack on a loaded 2-core CI machine. */
const SLACK_MS = 1_000;
const CLOSE_BOUND_MS = CLOSE_TIMEOUT_MS + BOUNDED_STEP_MS + SLACK_MS;
const CONSUMER_CLOSE_BOUND_MS = CLOSE_TIMEOUT_MS + 3 * BOUNDED_STEP_MS + SLACK_MS;
const BEFORE = 500;
const scenario = useScenario('9 close() during a black hole', ['PUBLISH_TIMEOUT', 'PUBLISHER_CLOSED']);

/** How long `close` took, or `undefined` when it had not settled after `giveUpMs` (it may never: D1). */
async function timed(close: () => Promise<void>, giveUpMs: number): Promise<number | undefined> {
  const start = Date.now();
  const settled = close().then(
    () => Date.now() - start,
    () => Date.now() - start,
  );
  const hung = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), giveUpMs).unref());
  return Promise.race([settled, hung]);
}

it('settles publisher.close() and consumer.close() within their timeouts during a black hole', async () => {
  const { ledger } = scenario;
  const broker = await withRetry(() => startPrivateBroker());
  scenario.defer(() => broker.stop());
  const queue = 'rel.close';
  const topology = await declare(broker, { queues: { [queue]: { type: 'quorum' } } });
  const publisherProxy = await startFaultProxy({ target: broker.amqpUrl });
  const consumerProxy = await startFaultProxy({ target: broker.amqpUrl });
  scenario.defer(() => publisherProxy.close());
  scenario.defer(() => consumerProxy.close());
  const options = { heartbeatSeconds: 60, reconnectSeconds: 0.5 };
  const publisher = createPublisher({ ...options, urls: publisherProxy.url, timeoutMs: 30_000 });
  const consumer = createConsumer({ ...options, urls: consumerProxy.url, topology });
  await consumer.consume(queue, (_body, ctx) => void ledger.consumed(ctx.messageId!), { prefetch: 20 });

  const before = await publishPaced(publisher, ledger, {
    queue,
    count: BEFORE,
    ratePerSec: 500,
    timeoutMs: 30_000,
    prefix: 'pre',
  });
  await before.settled;
  await settle(ledger, broker.amqpUrl, [queue], 30_000);

  publisherProxy.blackhole();
  consumerProxy.blackhole();
  const caught = await publishPaced(publisher, ledger, {
    queue,
    count: 50,
    ratePerSec: 500,
    timeoutMs: 30_000,
    prefix: 'hole',
  });
  const [publisherCloseMs, consumerCloseMs] = await Promise.all([
    timed(() => publisher.close({ timeoutMs: CLOSE_TIMEOUT_MS }), CLOSE_BOUND_MS + 10_000),
    timed(() => consumer.close({ timeoutMs: CLOSE_TIMEOUT_MS }), CONSUMER_CLOSE_BOUND_MS + 10_000),
  ]);
  publisherProxy.heal();
  consumerProxy.heal();
  const caughtSettled = await Promise.race([
    caught.settled.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000).unref()),
  ]);

  const verdict = scenario.finish(
    { drained: await drained(broker.amqpUrl, [queue, `${queue}.dlq`]), duplicateBound: 0 },
    {
      closeTimeoutMs: CLOSE_TIMEOUT_MS,
      boundMs: { publisher: CLOSE_BOUND_MS, consumer: CONSUMER_CLOSE_BOUND_MS },
      publisherCloseMs,
      consumerCloseMs,
      caughtSettled,
    },
  );
  expectClean(verdict);
  expect(verdict.confirmed).toBe(BEFORE);
  expect({ publisherCloseMs, consumerCloseMs, caughtSettled }).toEqual({
    publisherCloseMs: expect.any(Number),
    consumerCloseMs: expect.any(Number),
    caughtSettled: true,
  });
  expect(publisherCloseMs).toBeLessThanOrEqual(CLOSE_BOUND_MS);
  expect(consumerCloseMs).toBeLessThanOrEqual(CONSUMER_CLOSE_BOUND_MS);
  scenario.passed();
});
