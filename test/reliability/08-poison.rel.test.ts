import { connect } from 'amqplib';
import { createPublisher } from '@warren/publisher';
import { startPrivateBroker } from '@warren/testing';
import { declare } from './harness/declare';
import { publishPaced } from './harness/publishPaced';
import { drained, eventually, settle } from './harness/settle';
import { startWorker, type Worker } from './harness/startWorker';
import { withRetry } from './harness/withRetry';
import { expectClean, useScenario } from './harness/useScenario';

// Poison among good messages, in one worker process restarted whenever it dies: always-throwing messages go through
// the retry tiers and are parked; a message that kills the process is parked by the quorum delivery limit (delivered
// 3 times with a limit of 2); the good ones all flow. Prefetch 1, so a crash takes no good message with it.
const GOOD = 1_000;
const THROWING = 10;
const DELIVERY_LIMIT = 2;
const scenario = useScenario('8 poison: throwing parked after tiers, crashing parked by delivery limit');

it('parks the poison (throwing: after the tiers; crashing: by the delivery limit) and delivers the rest', async () => {
  const { ledger } = scenario;
  const broker = await withRetry(() => startPrivateBroker());
  scenario.defer(() => broker.stop());
  const queue = 'rel.poison';
  const topology = await declare(broker, {
    queues: {
      [queue]: { type: 'quorum', retry: { delays: ['200ms', '400ms'] }, limits: { deliveryLimit: DELIVERY_LIMIT } },
    },
  });
  const publisher = createPublisher({ urls: broker.amqpUrl, timeoutMs: 30_000 });
  scenario.defer(() => publisher.close({ timeoutMs: 1_000 }));

  let worker: Worker | undefined;
  let stopping = false;
  const crashes: string[] = [];
  const keepRunning = (): Worker => {
    const current = startWorker(ledger, { amqpUrl: broker.amqpUrl, queue, topology, prefetch: 1, handlerMs: 0 });
    void current.exited.then((signal) => {
      if (stopping) return;
      crashes.push(signal);
      worker = keepRunning();
    });
    return current;
  };
  worker = keepRunning();
  scenario.defer(() => {
    stopping = true;
    worker?.process.kill('SIGKILL');
  });
  await worker.ready;

  // Good messages through publishPaced; the poison in between, with ids of their own.
  const poison = async (kind: 'throw' | 'crash', id: string) => {
    ledger.sent(id);
    await publisher.publishRaw('', queue, { kind }, { messageId: id }).then(
      () => ledger.confirmed(id),
      (error: unknown) => ledger.failed(id, error),
    );
  };
  const throwing = Array.from({ length: THROWING }, (_, i) => `throw-${i}`);
  const run = await publishPaced(publisher, ledger, {
    queue,
    count: GOOD,
    ratePerSec: 500,
    timeoutMs: 30_000,
    prefix: 'good',
    bodyBytes: 100,
    before: async (n) => {
      if (n % (GOOD / THROWING) === 50) await poison('throw', throwing[(n - 50) / (GOOD / THROWING)]!);
      if (n === GOOD / 2) await poison('crash', 'crash-0');
    },
  });
  await run.settled;
  // The parked messages, read from the dead-letter queue once all 11 are there.
  const dlq = `${queue}.dlq`;
  const reasons: Record<string, string> = {};
  const connection = await connect(broker.amqpUrl);
  scenario.defer(() => connection.close().catch(() => undefined));
  const channel = await connection.createChannel();
  await eventually(async () => (await channel.checkQueue(dlq)).messageCount >= THROWING + 1, 30_000);
  for (let m = await channel.get(dlq); m !== false; m = await channel.get(dlq)) {
    const id = m.properties.messageId as string;
    ledger.parked(id);
    const deaths = (m.properties.headers?.['x-death'] ?? []) as { reason: string }[];
    reasons[id] = deaths[0]?.reason ?? String(m.properties.headers?.['x-warren-reason'] ?? '?');
    channel.ack(m);
  }
  const empty = await settle(ledger, broker.amqpUrl, [queue, dlq]);
  stopping = true;
  worker.process.kill('SIGTERM');
  await worker.exited;
  await publisher.close({ timeoutMs: 5_000 });

  const verdict = scenario.finish(
    {
      drained: empty && (await drained(broker.amqpUrl, [queue, dlq, ...topology.queues.map((q) => q.name)])),
      duplicateBound: crashes.length, // prefetch 1: a crash can repeat at most the one message in hand
    },
    { crashes, reasons },
  );
  expectClean(verdict);
  expect(Object.keys(reasons).sort()).toEqual(['crash-0', ...throwing].sort());
  expect(reasons['crash-0']).toBe('delivery_limit');
  expect(crashes).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL']);
  for (const id of throwing) expect(ledger.consumedCount(id)).toBe(0);
  expect(verdict.consumed).toBe(GOOD + THROWING + 1);
  scenario.passed();
});
