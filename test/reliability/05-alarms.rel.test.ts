import { createConsumer } from '@warren/consumer';
import { createPublisher } from '@warren/publisher';
import { startPrivateBroker } from '@warren/testing';
import { declare } from './harness/declare';
import { publishPaced } from './harness/publishPaced';
import { drained, eventually, settle, sleep } from './harness/settle';
import { withRetry } from './harness/withRetry';
import { expectClean, useScenario } from './harness/useScenario';

// A memory alarm, then a disk alarm, on the scenario's own node: the broker blocks publishers; they hold their
// messages until `unblocked` and nothing is lost or refused (the deadline outlasts each alarm).
const COUNT = 3_000;
const RATE = 200;
const ALARM_MS = 3_000;
const scenario = useScenario('5 memory alarm, then disk alarm');

it('holds publishes through a memory alarm and a disk alarm and loses nothing', async () => {
  const { ledger } = scenario;
  const broker = await withRetry(() => startPrivateBroker());
  scenario.defer(() => broker.stop());
  const queue = 'rel.alarms';
  const topology = await declare(broker, { queues: { [queue]: { type: 'quorum' } } });

  const publisher = createPublisher({ urls: broker.amqpUrl, timeoutMs: 30_000 });
  const consumer = createConsumer({ urls: broker.amqpUrl, topology });
  scenario.defer(() => publisher.close({ timeoutMs: 1_000 }));
  scenario.defer(() => consumer.close({ timeoutMs: 1_000 }));
  const blocked: string[] = [];
  let unblocked = 0;
  publisher.on('blocked', ({ reason }) => blocked.push(reason));
  publisher.on('unblocked', () => unblocked++);
  await consumer.consume(queue, (_body, ctx) => void ledger.consumed(ctx.messageId!));

  // An alarm is raised from inside the publishing loop (which waits for the raise), so publishes follow it:
  // `connection.blocked` comes with the first publish after the alarm. It is held ALARM_MS, then cleared.
  const alarms: Promise<void>[] = [];
  const alarm = async (raise: string[], clear: string[]) => {
    await broker.rabbitmqctl(raise);
    alarms.push(
      (async () => {
        await eventually(() => blocked.length > unblocked, 10_000);
        await sleep(ALARM_MS);
        await broker.rabbitmqctl(clear);
      })(),
    );
  };
  const run = await publishPaced(publisher, ledger, {
    queue,
    count: COUNT,
    ratePerSec: RATE,
    timeoutMs: 30_000,
    prefix: 'alarm',
    before: async (n) => {
      if (n === 200) await alarm(['set_vm_memory_high_watermark', '0'], ['set_vm_memory_high_watermark', '0.4']);
      if (n === 1_800) {
        await Promise.all(alarms);
        await alarm(['set_disk_free_limit', '1000GB'], ['set_disk_free_limit', '50MB']);
      }
    },
  });
  await Promise.all(alarms);
  await run.settled;
  const empty = await settle(ledger, broker.amqpUrl, [queue]);
  await consumer.close({ timeoutMs: 5_000 });
  await publisher.close({ timeoutMs: 5_000 });

  const verdict = scenario.finish(
    { drained: empty && (await drained(broker.amqpUrl, [queue, `${queue}.dlq`])), duplicateBound: 0 },
    { blocked, unblocked },
  );
  expectClean(verdict);
  expect(verdict.confirmed).toBe(COUNT);
  expect(blocked.length).toBeGreaterThanOrEqual(2);
  expect(unblocked).toBe(blocked.length);
  scenario.passed();
});
