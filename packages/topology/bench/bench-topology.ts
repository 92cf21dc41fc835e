/**
 * Times `applyTopology` on a 500-work-queue topology (3 retry tiers and a DLQ each: 2,500 queues, 501 exchanges,
 * 1,000 bindings, 14 grouped policies: one per distinct set of limits, chunked), a second apply (nothing to do), a
 * plan, and the cleanup.
 *
 *   npm run bench:topology                                  # AMQP_URL or the local broker, classic queues
 *   AMQP_URL=amqp://guest:guest@127.0.0.1:5673 BENCH_QUEUE_TYPE=quorum npm run bench:topology
 *   BENCH_QUEUES=100 BENCH_LIMITS=0 npm run bench:topology  # smaller; no limits, so no Warren policies
 *
 * Quorum queues default to classic here because a RabbitMQ 3.x node with the usual 1024 file descriptors stops
 * accepting AMQP connections at a few hundred quorum queues: run the quorum variant on a 4.x broker.
 */
import { randomBytes } from 'node:crypto';
import { redactUrl } from '@warren/core';
import { applyTopology, deleteTopology, deriveTopology, parseTopology, planTopology } from '../src/index';

const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const count = Number(process.env.BENCH_QUEUES ?? 500);
const type = process.env.BENCH_QUEUE_TYPE === 'quorum' ? 'quorum' : 'classic';
/** `BENCH_LIMITS=0`: no limits, so classic queues get no Warren policy (quorum ones always get a delivery limit). */
const limits = process.env.BENCH_LIMITS === '0' ? {} : { maxLength: 10_000 };

function topologyFile(prefix: string) {
  const exchange = `${prefix}.events`;
  const queues = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `${prefix}.q${String(i).padStart(3, '0')}`,
      {
        type,
        bindings: [{ exchange, routingKey: `event.${i}` }],
        retry: { delays: ['1s', '10s', '1m'] },
        limits,
      },
    ]),
  );
  return { exchanges: { [exchange]: { type: 'topic' } }, queues };
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await fn();
  console.log(`${label.padEnd(34)} ${((performance.now() - start) / 1000).toFixed(2).padStart(7)} s`);
  return result;
}

async function main(): Promise<void> {
  const desired = deriveTopology(parseTopology(topologyFile(`warren-bench-${randomBytes(3).toString('hex')}`)));
  const target = { amqpUrl };
  const objects = desired.exchanges.length + desired.queues.length + desired.bindings.length + desired.policies.length;
  console.log(
    `broker ${redactUrl(amqpUrl)}: ${count} ${type} work queues → ${desired.queues.length} queues, ` +
      `${desired.exchanges.length} exchanges, ${desired.bindings.length} bindings, ${desired.policies.length} ` +
      `policies (${objects} objects)`,
  );
  try {
    const first = await timed('first apply (creates everything)', () => applyTopology(desired, target));
    console.log(`  created ${first.counts.created}, unchanged ${first.counts.unchanged}`);
    const second = await timed('second apply (nothing to do)', () => applyTopology(desired, target));
    console.log(`  changed: ${second.changed}, unchanged ${second.counts.unchanged}`);
    await timed('plan', () => planTopology(desired, target));
  } finally {
    await timed('delete', () => deleteTopology(desired, target));
    const left = (await planTopology(desired, target)).items.filter((item) => item.action !== 'create');
    if (left.length > 0) console.log(`  left behind: ${left.map((item) => `${item.kind} ${item.name}`).join(', ')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
