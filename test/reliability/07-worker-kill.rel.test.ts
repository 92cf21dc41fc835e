import { createPublisher } from '@warren/publisher';
import { startPrivateBroker } from '@warren/testing';
import { declare } from './harness/declare';
import { publishPaced } from './harness/publishPaced';
import { drained, settle, sleep } from './harness/settle';
import { startWorker, type Worker } from './harness/startWorker';
import { withRetry } from './harness/withRetry';
import { expectClean, useScenario } from './harness/useScenario';

// Three worker processes share a quorum queue; three times one of them is killed (-9) mid-batch and replaced. What
// its handlers finished but did not ack comes again (duplicates, at most a prefetch per kill); nothing is lost.
const COUNT = 3_000;
const RATE = 300;
const PREFETCH = 20;
const KILLS = 3;
const scenario = useScenario('7 worker kill -9 x3');

it('loses no confirmed message when workers are killed (-9) mid-batch', async () => {
  const { ledger } = scenario;
  const broker = await withRetry(() => startPrivateBroker());
  scenario.defer(() => broker.stop());
  const queue = 'rel.workers';
  const topology = await declare(broker, { queues: { [queue]: { type: 'quorum' } } });
  const publisher = createPublisher({ urls: broker.amqpUrl, timeoutMs: 30_000 });
  scenario.defer(() => publisher.close({ timeoutMs: 1_000 }));

  const options = { amqpUrl: broker.amqpUrl, queue, topology, prefetch: PREFETCH, handlerMs: 20 };
  const workers: Worker[] = [];
  scenario.defer(() => workers.forEach((worker) => worker.process.kill('SIGKILL')));
  for (let i = 0; i < 3; i++) workers.push(startWorker(ledger, options));
  await Promise.all(workers.map((worker) => worker.ready));

  const killed: string[] = [];
  const kills: Promise<void>[] = [];
  const killAt = new Set(Array.from({ length: KILLS }, (_, k) => Math.round((COUNT * (k + 1)) / (KILLS + 1))));
  const run = await publishPaced(publisher, ledger, {
    queue,
    count: COUNT,
    ratePerSec: RATE,
    timeoutMs: 30_000,
    prefix: 'work',
    before: (n) => {
      if (!killAt.has(n)) return;
      const victim = workers[killed.length % workers.length]!;
      victim.process.kill('SIGKILL');
      kills.push(
        victim.exited.then(async (signal) => {
          killed.push(signal);
          const replacement = startWorker(ledger, options);
          workers[workers.indexOf(victim)] = replacement;
          await replacement.ready;
        }),
      );
    },
  });
  await Promise.all(kills);
  await run.settled;
  const empty = await settle(ledger, broker.amqpUrl, [queue]);
  await sleep(500); // acks of the last batch
  workers.forEach((worker) => worker.process.kill('SIGTERM'));
  await Promise.all(workers.map((worker) => worker.exited));
  await publisher.close({ timeoutMs: 5_000 });

  const verdict = scenario.finish(
    { drained: empty && (await drained(broker.amqpUrl, [queue, `${queue}.dlq`])), duplicateBound: KILLS * PREFETCH },
    { killed, prefetch: PREFETCH },
  );
  expectClean(verdict);
  expect(killed).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL']);
  expect(verdict.confirmed).toBe(COUNT);
  scenario.passed();
});
