import { closeOnSignals } from '@warren/consumer';
import { describeError } from '@warren/core';
import { deriveTopology, loadTopologyFile } from '@warren/topology';
import { postCreatedContract, previewContract, reminderDueContract } from './contracts';
import { numberFromEnv, readEnv } from './env';
import { TOPOLOGY_FILE } from './topology-file';
import { startTimelineWorker } from './worker';
import { startNightlyAggregation } from './aggregation';

/**
 * Runs the fan-out worker: `AMQP_URL`, `TIMELINE_TOPOLOGY` (the topology file, for the retry tiers),
 * `TIMELINE_NAMESPACE`, `WORKER_PREFETCH`, `WORKER_LATENCY_MS`. SIGTERM/SIGINT close the consumer gracefully
 * (stop taking new posts, finish the ones in hand). Under the demo it reports its stats over IPC.
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
  });
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

main().catch((error: unknown) => {
  console.error(`timeline worker: ${describeError(error)}`);
  process.exit(1);
});
