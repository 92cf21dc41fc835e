import { createServer } from 'node:http';
import { pino } from 'pino';
import { closeOnSignals, type Health } from '@warren/consumer';
import { describeError } from '@warren/core';
import { deriveTopology, loadTopologyFile } from '@warren/topology';
import { postCreatedContract, previewContract, reminderDueContract } from './contracts';
import { numberFromEnv, readEnv } from './env';
import { TOPOLOGY_FILE } from './topology-file';
import { startTimelineWorker } from './worker';
import { startNightlyAggregation } from './aggregation';
import { HEALTH_PATHS, healthReply } from './health-routes';

/**
 * Runs the fan-out worker: `AMQP_URL`, `TIMELINE_TOPOLOGY` (the topology file, for the retry tiers),
 * `TIMELINE_NAMESPACE`, `WORKER_PREFETCH`, `WORKER_LATENCY_MS`. SIGTERM/SIGINT close the consumer gracefully
 * (stop taking new posts, finish the ones in hand). Under the demo it reports its stats over IPC. With
 * `WORKER_HEALTH_PORT`, it answers `GET /health`, `/health/ready` and `/health/live` there (`consumer.health()`).
 */
async function main(): Promise<void> {
  const env = readEnv();
  const file = await loadTopologyFile(process.env.TIMELINE_TOPOLOGY || TOPOLOGY_FILE);
  const worker = await startTimelineWorker({
    urls: env.amqpUrls,
    topology: deriveTopology(file),
    contract: postCreatedContract(env.names),
    previewContract: previewContract(env.names),
    reminderContract: reminderDueContract(env.names),
    name: `${env.namespace}-worker`,
    prefetch: numberFromEnv(process.env.WORKER_PREFETCH, 20),
    latencyMs: numberFromEnv(process.env.WORKER_LATENCY_MS, 20),
    logger: pino({ level: process.env.LOG_LEVEL ?? 'info' }),
  });
  if (process.env.WORKER_HEALTH_PORT) serveHealth(worker.consumer, numberFromEnv(process.env.WORKER_HEALTH_PORT, 0));
  const aggregation = await startNightlyAggregation({
    urls: env.amqpUrls,
    topology: file,
    namespace: env.namespace,
    consumer: worker.consumer,
    processed: () => worker.stats.snapshot(0).processed,
  });
  const report = (then?: () => void) => {
    const stats = worker.stats.snapshot(worker.consumer.stats().inFlight);
    if (process.send) process.send({ type: 'stats', stats, aggregation: aggregation.snapshot() }, () => then?.());
    else then?.();
  };
  const timer = setInterval(report, 250);
  closeOnSignals(worker.consumer, {
    timeoutMs: 10_000,
    // The last report counts the posts that finished during the shutdown; exit once it is sent.
    onClosed: (error) => {
      clearInterval(timer);
      if (error) console.error(`timeline worker: close failed: ${describeError(error)}`);
      // The scheduler hands its lease to another replica before the process exits.
      void aggregation.close().finally(() => report(() => process.exit(error ? 1 : 0)));
    },
  });
  process.send?.({ type: 'ready' });
}

/** The worker's health routes (its liveness is the consumer's: `/health/live` is 503 when it is stalled). */
function serveHealth(consumer: { health(): Promise<Health> }, port: number): void {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (!HEALTH_PATHS.includes(path)) return void response.writeHead(404).end();
    void healthReply(path, { consumer }).then(({ status, body }) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  server.listen(port).unref();
}

main().catch((error: unknown) => {
  console.error(`timeline worker: ${describeError(error)}`);
  process.exit(1);
});
