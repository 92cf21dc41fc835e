import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBroker, type TestBroker } from '@warren/testing';
import { describeError, redactUrl } from '@warren/core';
import {
  deleteTopology,
  deriveTopology,
  loadTopologyFile,
  type DesiredTopology,
  type WorkQueueLayout,
} from '@warren/topology';
import { parseDemoArgs, USAGE, type DemoOptions } from './args';
import { startChild, stopChild, waitForMessage, type ChildMessage } from './children';
import { timelineNames } from './contracts';
import { driveLoad, newLoadCounts, samplePosts, type LoadCounts } from './load';
import { askPreviews, type PreviewCounts } from './previews';
import { QueueDepths, totalRetrying } from './queue-depths';
import { finalTable, liveLine, summarize, type DemoSummary } from './summary';
import { topologyFileFor } from './topology-file';
import { runWarren } from './warren-cli';
import { DEMO_REMINDER_SECONDS, scheduleDemoReminder } from './demo-reminder';
import type { AggregationSnapshot } from './aggregation';
import { deleteSchedulerQueues } from './scheduler-queues';
import type { WorkerStatsSnapshot } from './worker-stats';

const NO_STATS: WorkerStatsSnapshot = { processed: 0, retried: {}, deadLettered: 0, inFlight: 0, reminders: [] };

/** Everything the demo started, so that it can stop it whatever happens. */
interface Running {
  broker?: TestBroker;
  desired?: DesiredTopology;
  depths?: QueueDepths;
  children: ChildProcess[];
}

/**
 * `npm run demo`: the timeline example end to end. See `USAGE` and the README's "Try it" section.
 * Exit code 0 when the run completed and its numbers add up; Ctrl-C stops it and still cleans up.
 */
async function main(argv: readonly string[]): Promise<number> {
  const options = parseDemoArgs(argv);
  if (options.help) return (print(USAGE), 0);
  const say = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  const running: Running = { children: [] };
  process.once('SIGINT', () => {
    say('\nInterrupted: stopping the service and the worker, cleaning up...');
    void cleanUp(options, running, say).finally(() => process.exit(130));
  });
  try {
    const summary = await run(options, running, say);
    if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else say(`\n${finalTable(summary)}\n`);
    return summary.balanced ? 0 : 1;
  } finally {
    await cleanUp(options, running, say);
  }
}

async function run(options: DemoOptions, running: Running, say: (line: string) => void): Promise<DemoSummary> {
  const started = Date.now();
  const broker = (running.broker = await findBroker(say));
  const names = timelineNames(options.namespace);
  const file = await topologyFileFor(options.namespace);
  await applyTopology(file, broker, say);
  const desired = (running.desired = deriveTopology(await loadTopologyFile(file)));
  const layout = layoutOf(desired, names.queue);
  const depths = (running.depths = await QueueDepths.open(broker.amqpUrl, broker.managementUrl, layout));
  await depths.purgeAll();

  const env = {
    ...process.env,
    AMQP_URL: broker.amqpUrl,
    TIMELINE_NAMESPACE: options.namespace,
    TIMELINE_TOPOLOGY: file,
  };
  // Both at once: starting a Node process and connecting takes a few seconds on a busy machine.
  const worker = startChild('worker-main', env);
  const service = startChild('service-main', { ...env, PORT: '0' });
  running.children.push(worker, service);
  let workerStats = NO_STATS;
  let aggregation: AggregationSnapshot | undefined;
  worker.on('message', (message: ChildMessage) => {
    if (message.type !== 'stats') return;
    workerStats = message.stats;
    aggregation = message.aggregation ?? aggregation;
  });
  const [, { port }] = await Promise.all([
    waitForMessage(worker, 'ready', 60_000),
    waitForMessage(service, 'listening', 60_000),
  ]);
  say(
    `Service on http://localhost:${port} (POST /posts, GET /posts/:id/preview, GET /health); worker consuming ` +
      `${names.queue} and answering previews from ${names.previewQueue}.`,
  );

  const runId = randomBytes(4).toString('hex');
  await scheduleDemoReminder(`http://127.0.0.1:${port}`, runId);
  say(`Scheduled a reminder for ${DEMO_REMINDER_SECONDS} s from now (POST /reminders: publish with delay).`);
  const posts = samplePosts(runId, options.requests);
  say(
    `Sending ${posts.length} posts in waves of ${options.waveSize}, ${options.concurrency} at a time ` +
      `(a few invalid on purpose); 503s are retried with back-off...\n`,
  );
  const load = newLoadCounts(posts.length);
  const loadStarted = Date.now();
  const live = new AbortController();
  const ticker = printLive(live.signal, async () => {
    say(liveLine(Date.now() - loadStarted, load, workerStats, await depths.read()));
  });
  try {
    const { concurrency, waveSize, waveEveryMs } = options;
    await driveLoad({ baseUrl: `http://127.0.0.1:${port}`, posts, concurrency, waveSize, waveEveryMs }, load);
    await drain(options, load, () => workerStats, depths);
  } finally {
    live.abort();
    await ticker;
  }
  const previews = await previewSample(`http://127.0.0.1:${port}`, load, say);
  say('\nStopping the service and the worker (SIGTERM: each finishes what it holds, then exits)...');
  for (const [name, child] of [
    ['service', service],
    ['worker', worker],
  ] as const) {
    const code = await stopChild(child);
    if (code !== 0) say(`The ${name} did not shut down cleanly (exit code ${code}).`);
  }
  // Tier messages refused by the full work queue are visible only in the management API, seconds later: wait for it
  // only when some accepted posts are unaccounted for.
  const now = await depths.read();
  const accounted = workerStats.processed + now.deadLetter + now.work + totalRetrying(now) >= load.accepted.size;
  const latest = accounted ? now : await depths.settled();
  return summarize({
    broker: redactUrl(broker.amqpUrl),
    durationMs: Date.now() - started,
    posts: posts.length,
    load,
    worker: workerStats,
    depths: latest,
    queueNames: { work: layout.queue, deadLetter: layout.deadLetterQueue ?? `${layout.queue}.dlq` },
    previews,
    reminderSeconds: DEMO_REMINDER_SECONDS,
    ...(aggregation === undefined ? {} : { aggregation }),
  });
}

/**
 * Request/reply: asks the worker for the previews of 20 accepted posts and 2 unknown ones through the service's
 * `GET /posts/:id/preview`. A dead-lettered post and an unknown id come back as a RemoteError (404).
 */
async function previewSample(baseUrl: string, load: LoadCounts, say: (line: string) => void): Promise<PreviewCounts> {
  const ids = [...[...load.accepted].slice(0, 20), 'no-such-post-1', 'no-such-post-2'];
  say(`\nAsking the worker for ${ids.length} previews (GET /posts/:id/preview, request/reply)...`);
  return askPreviews(baseUrl, ids);
}

/**
 * Waits until every accepted post is processed or dead-lettered, or nothing has moved for a while (no message
 * ready anywhere, none in the worker's hands), or `drainMs` passes.
 */
async function drain(
  options: DemoOptions,
  load: LoadCounts,
  stats: () => WorkerStatsSnapshot,
  depths: QueueDepths,
): Promise<void> {
  const deadline = Date.now() + options.drainMs;
  let quietSince = Infinity;
  for (;;) {
    const d = await depths.read();
    const reminded = stats().reminders.length > 0;
    if (stats().processed + d.deadLetter >= load.accepted.size && reminded) return;
    const quiet = d.work + totalRetrying(d) === 0 && stats().inFlight === 0 && reminded;
    quietSince = quiet ? Math.min(quietSince, Date.now()) : Infinity;
    if (Date.now() - quietSince > QUIET_MS || Date.now() > deadline) return;
    await sleep(250);
  }
}

/** Runs `print` about once a second (never two at once: a read can be slow while a wave is in flight). */
async function printLive(signal: AbortSignal, print: () => Promise<void>): Promise<void> {
  while (!signal.aborted) {
    await sleep(1_000, undefined, { signal }).catch(() => undefined);
    if (!signal.aborted) await print().catch(() => undefined);
  }
}

/** Longer than the longest retry delay's hand-off, short enough not to bore. */
const QUIET_MS = 1_500;

async function findBroker(say: (line: string) => void): Promise<TestBroker> {
  try {
    const broker = await startBroker();
    const where =
      broker.source === 'container'
        ? `a RabbitMQ container (${broker.image ?? 'rabbitmq'})`
        : redactUrl(broker.amqpUrl);
    say(`Broker: ${where}`);
    return broker;
  } catch (error) {
    throw new NoBrokerError(describeError(error), { cause: error });
  }
}

/** No broker answers and none could be started: the demo says how to get one. */
class NoBrokerError extends Error {}

const HOW_TO_GET_A_BROKER = `The demo needs RabbitMQ (3.10 or later, with the management plugin). Either:
  - run one with Docker:  docker compose -f docker/compose.yml up -d --wait rabbitmq
    (or: docker run -d --name rabbitmq -p 5672:5672 -p 15672:15672 rabbitmq:4-management)
  - or point the demo at yours:  AMQP_URL=amqp://user:pass@host:5672 npm run demo
    (the management API is expected on the AMQP port + 10000; set AMQP_MANAGEMENT_URL otherwise)`;

async function applyTopology(file: string, broker: TestBroker, say: (line: string) => void): Promise<void> {
  const shown = path.relative(process.cwd(), file);
  say(`$ warren apply ${shown.startsWith('..') ? file : shown}`);
  const env = { ...process.env, AMQP_URL: broker.amqpUrl };
  const { code, output } = await runWarren(['apply', file, '--management-url', broker.managementUrl], env);
  for (const line of output.trimEnd().split('\n')) say(`  ${line}`);
  if (code !== 0) throw new Error(`warren apply failed (exit code ${code}); its output is above.`);
}

function layoutOf(desired: DesiredTopology, queue: string): WorkQueueLayout {
  const layout = desired.workQueues.find((q) => q.queue === queue);
  if (!layout) throw new Error(`The topology has no work queue named ${queue}.`);
  return layout;
}

async function cleanUp(options: DemoOptions, running: Running, say: (line: string) => void): Promise<void> {
  await Promise.all(running.children.map((child) => stopChild(child)));
  await running.depths?.close();
  if (running.desired && running.broker && !options.keep) {
    const { amqpUrl, managementUrl } = running.broker;
    await deleteSchedulerQueues(amqpUrl, options.namespace).catch((error: unknown) =>
      say(`Could not delete the demo's scheduler queues: ${describeError(error)}`),
    );
    await deleteTopology(running.desired, { amqpUrl, managementUrl }).catch((error: unknown) =>
      say(`Could not delete the demo's topology: ${describeError(error)}`),
    );
  } else if (options.keep && running.desired && running.broker?.source !== 'container') {
    const queue = running.desired.workQueues[0]?.queue ?? '<queue>';
    say(`Kept the topology (--keep): try \`npx warren dlq list ${queue}\`, or the management UI.`);
  }
  await running.broker?.stop();
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nThe demo failed: ${describeError(error)}\n`);
    if (error instanceof NoBrokerError) process.stderr.write(`\n${HOW_TO_GET_A_BROKER}\n`);
    process.exit(1);
  },
);
