/**
 * The latency section of the publish bench (see ../publish.ts): end-to-end latency at a steady 2,000 msg/s, Warren
 * publisher → Warren consumer, and raw amqplib with and without Nagle's algorithm.
 */
import { performance } from 'node:perf_hooks';
import { connect, type Channel } from 'amqplib';
import { createPublisher } from '@warren/publisher';
import { AMQP_URL, fmt, run } from './common';

export interface Latency {
  path: string;
  consumer: string;
  messages: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** p99 of each round (rows run forward, then in reverse order, so no row always follows the throughput runs). */
  p99ByRound: number[];
}

interface LatencyRow {
  path: string;
  consumer: string;
  measure(queue: string): Promise<number[]>;
}

export async function latencySection(admin: Channel): Promise<Latency[]> {
  const queue = `warren-bench-latency-${run}`;
  await admin.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic' } });
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // let the broker settle after the throughput runs
  const rows = await latencyRows(queue);
  const results = new Map<LatencyRow, Latency[]>();
  try {
    for (const round of [rows, [...rows].reverse()]) {
      for (const row of round) {
        const samples = await row.measure(queue);
        await admin.purgeQueue(queue); // a slow consumer must not leave stale stamps to the next row
        results.set(row, [...(results.get(row) ?? []), summarise(row.path, row.consumer, samples)]);
      }
    }
  } finally {
    await admin.deleteQueue(queue);
  }
  const summary = rows.map((row) => {
    const rounds = results.get(row)!;
    const best = rounds.reduce((a, b) => (b.p99Ms < a.p99Ms ? b : a));
    return { ...best, p99ByRound: rounds.map((r) => r.p99Ms) };
  });
  for (const row of summary) {
    console.log(
      `latency ${row.path.padEnd(36)} → ${row.consumer.padEnd(30)} p50 ${fmt(row.p50Ms, 2)} ms  p99 ${fmt(row.p99Ms, 2)} ms  ` +
        `max ${fmt(row.maxMs, 2)} ms  (p99 per round: ${row.p99ByRound.map((v) => fmt(v, 2)).join(', ')})`,
    );
  }
  return summary;
}

async function latencyRows(queue: string): Promise<LatencyRow[]> {
  const rate = 2_000;
  const seconds = Number(process.env.BENCH_LATENCY_SECONDS ?? 5);
  const warren = (consumerKind: 'warren' | 'amqplib'): LatencyRow => ({
    path: 'warren publisher (defaults)',
    consumer: consumerKind === 'warren' ? 'warren consumer' : 'amqplib consumer (noDelay true)',
    measure: async () => {
      const consumer =
        consumerKind === 'warren' ? await startWarrenConsumer(queue) : await startRawConsumer(queue, true);
      const publisher = createPublisher({ urls: AMQP_URL, name: `warren-bench-latency-${run}` });
      await publisher.publishRaw('', queue, { t: performance.now(), pad: PAD }); // connected before timing
      try {
        return await paced(rate, seconds, consumer, (payload) => publisher.publishRaw('', queue, payload));
      } finally {
        await publisher.close();
        await consumer.stop();
      }
    },
  });
  const raw = (noDelay: boolean): LatencyRow => ({
    path: `amqplib ConfirmChannel (noDelay ${noDelay})`,
    consumer: `amqplib consumer (noDelay ${noDelay})`,
    measure: async () => {
      const consumer = await startRawConsumer(queue, noDelay);
      const connection = await connect(AMQP_URL, { noDelay });
      connection.on('error', () => undefined);
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      const options = { persistent: true, contentType: 'application/json' };
      const send = (payload: Stamp): Promise<unknown> =>
        new Promise((resolve, reject) =>
          channel.publish('', queue, Buffer.from(JSON.stringify(payload)), options, (e: unknown) =>
            e ? reject(e) : resolve(e),
          ),
        );
      try {
        return await paced(rate, seconds, consumer, send);
      } finally {
        await connection.close();
        await consumer.stop();
      }
    },
  });
  const rows = [warren('amqplib'), raw(false), raw(true)];
  // The Warren consumer, when its package and topology derivation work here.
  const probe = await startWarrenConsumer(queue).catch(() => undefined);
  await probe?.stop();
  return probe ? [warren('warren'), ...rows] : rows;
}

/** A latency probe: the publish time (performance.now(), ms; same process) and some padding. */
interface Stamp {
  t: number;
  pad: string;
}
const PAD = 'x'.repeat(200);

interface LatencyConsumer {
  name: string;
  /** Called with each delivered payload. */
  onPayload: ((payload: Stamp) => void) | undefined;
  stop(): Promise<void>;
}

async function startRawConsumer(queue: string, noDelay: boolean): Promise<LatencyConsumer> {
  const connection = await connect(AMQP_URL, { noDelay });
  connection.on('error', () => undefined);
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  await channel.prefetch(100);
  const consumer: LatencyConsumer = {
    name: `amqplib consumer (noDelay ${noDelay})`,
    onPayload: undefined,
    stop: () => connection.close(),
  };
  await channel.consume(queue, (message) => {
    if (!message) return;
    consumer.onPayload?.(JSON.parse(message.content.toString()) as Stamp);
    channel.ack(message);
  });
  return consumer;
}

/** The Warren consumer, when `@warren/consumer` and topology derivation are available. */
async function startWarrenConsumer(queue: string): Promise<LatencyConsumer> {
  const { createConsumer } = await import('@warren/consumer');
  const { deriveTopology, parseTopology } = await import('@warren/topology');
  const topology = deriveTopology(parseTopology({ queues: { [queue]: { type: 'classic' } } }));
  const consumer = createConsumer({ urls: AMQP_URL, name: `warren-bench-consumer-${run}`, topology });
  const handle: LatencyConsumer = {
    name: 'warren consumer',
    onPayload: undefined,
    stop: () => consumer.close(),
  };
  await consumer.consume(
    queue,
    async (payload: unknown) => {
      handle.onPayload?.(payload as Stamp);
    },
    { prefetch: 100 },
  );
  return handle;
}

/** Publishes at `rate` msg/s for `seconds`, each body carrying its send time; returns the latencies in ms. */
async function paced(
  rate: number,
  seconds: number,
  consumer: LatencyConsumer,
  send: (payload: Stamp) => Promise<unknown>,
): Promise<number[]> {
  const total = rate * seconds;
  const latencies: number[] = [];
  let received = 0;
  const allReceived = new Promise<void>((resolve) => {
    consumer.onPayload = (payload) => {
      latencies.push(performance.now() - payload.t);
      if (++received === total) resolve();
    };
  });
  const start = performance.now();
  let sent = 0;
  const confirms: Promise<unknown>[] = [];
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    while (sent < due) {
      sent++;
      confirms.push(send({ t: performance.now(), pad: PAD }));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(confirms);
  await Promise.race([allReceived, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  return latencies.slice(rate); // drop the first second (connection warm-up)
}

function summarise(path: string, consumer: string, samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const [p50Ms, p99Ms, maxMs] = [at(0.5), at(0.99), sorted.at(-1) ?? NaN];
  return { path, consumer, messages: sorted.length, p50Ms, p99Ms, maxMs, p99ByRound: [p99Ms] };
}
