/**
 * Publisher benchmark (a script, not a test): against one broker in one run,
 *
 * 1. throughput and client CPU per message, 1 KiB persistent messages, classic and quorum queues:
 *    raw amqplib ConfirmChannel with a 1,000-message window vs Warren's `publishRaw` (Buffer) and `publish`
 *    (a zod contract, JSON);
 * 2. end-to-end latency at a steady 2,000 msg/s: Warren publisher → Warren consumer (and raw amqplib with default
 *    socket options → raw consumer, to show what Nagle's algorithm costs);
 * 3. RSS while publishing 1 M messages into a broker that is down (the buffer cap must hold it flat).
 *
 *   AMQP_URL=amqp://guest:guest@127.0.0.1:5672 npm run bench -- publish
 *   BENCH_MESSAGES=100000 BENCH_SECTIONS=throughput,latency,down ...
 *
 * Prints a table and writes `.bench/publish.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import { z } from 'zod';
import { defineContract } from '@warren/core';
import { createPublisher, type Publisher } from '../../packages/publisher/src';
import { newMessageId } from '../../packages/publisher/src/messageId';

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 50_000);
const SECTIONS = (process.env.BENCH_SECTIONS ?? 'throughput,latency,down').split(',');
const WINDOW = 1_000;
const BODY = Buffer.alloc(1024, 'x');
const PAYLOAD = { id: 'order-1', note: 'x'.repeat(1024 - 30) }; // ≈ 1 KiB of JSON
const run = `${process.pid}-${Date.now().toString(36)}`;
const PERSISTENT: Options.Publish = { persistent: true };
const warrenProperties = (): Options.Publish => ({
  mandatory: true,
  persistent: true,
  contentType: 'application/octet-stream',
  messageId: newMessageId(),
  timestamp: Math.floor(Date.now() / 1000),
});

interface Throughput {
  queueType: string;
  client: string;
  msgsPerSec: number;
  cpuUsPerMsg: number;
  vsAmqplib?: { throughput: number; cpuPerMsg: number };
}

async function main(): Promise<void> {
  const connection = await connect(AMQP_URL);
  connection.on('error', () => undefined);
  const admin = await connection.createChannel();
  admin.on('error', () => undefined);
  const results: Record<string, unknown> = { amqpUrl: AMQP_URL.replace(/:[^:@/]*@/, ':***@'), messages: MESSAGES };
  try {
    if (SECTIONS.includes('throughput')) results.throughput = await throughputSection(connection, admin);
    if (SECTIONS.includes('latency')) results.latency = await latencySection(admin);
    if (SECTIONS.includes('down')) results.brokerDown = await brokerDownSection();
  } finally {
    await connection.close().catch(() => undefined);
  }
  const dir = join(__dirname, '../../.bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'publish.json'), JSON.stringify(results, null, 2));
  console.log(`\nwritten to .bench/publish.json`);
}

// ---------------------------------------------------------------------------------------------------- throughput

async function throughputSection(connection: ChannelModel, admin: Channel): Promise<Throughput[]> {
  const rows: Throughput[] = [];
  for (const queueType of ['classic', 'quorum']) {
    const queue = `warren-bench-${queueType}-${run}`;
    await admin.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': queueType } });
    const contract = defineContract({
      exchange: '',
      routingKey: queue,
      schema: z.object({ id: z.string(), note: z.string() }),
    });
    const publisher = createPublisher({ urls: AMQP_URL, name: `warren-bench-${run}` });
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    const clients: Record<string, (n: number) => Promise<void>> = {
      'amqplib ConfirmChannel (window 1000)': (n) => rawPublish(channel, queue, n, () => PERSISTENT),
      // What Warren sends (message id, timestamp, content type, mandatory), by hand on the same socket as the
      // baseline: separates what those properties cost (the broker's time above all) from what the library costs.
      'amqplib, Warren properties': (n) => rawPublish(channel, queue, n, warrenProperties),
      'warren publishRaw (Buffer)': (n) => warrenPublish(n, () => publisher.publishRaw('', queue, BODY)),
      'warren publish (contract, zod, JSON)': (n) => warrenPublish(n, () => publisher.publish(contract, PAYLOAD)),
    };
    for (const [client, send] of Object.entries(clients)) {
      await send(Math.min(5_000, MESSAGES)); // warm-up (JIT, connection)
      await admin.purgeQueue(queue);
      const { msgsPerSec, cpuUsPerMsg } = await measure(MESSAGES, send);
      await admin.purgeQueue(queue);
      rows.push({ queueType, client, msgsPerSec, cpuUsPerMsg });
      console.log(
        `${queueType.padEnd(8)} ${client.padEnd(40)} ${fmt(msgsPerSec, 0)} msg/s  ${fmt(cpuUsPerMsg, 2)} µs CPU/msg`,
      );
    }
    await publisher.close();
    await channel.close();
    await admin.deleteQueue(queue);
    const raw = rows.find((r) => r.queueType === queueType && r.client.startsWith('amqplib'))!;
    for (const row of rows.filter((r) => r.queueType === queueType && r !== raw)) {
      row.vsAmqplib = { throughput: row.msgsPerSec / raw.msgsPerSec, cpuPerMsg: row.cpuUsPerMsg / raw.cpuUsPerMsg };
      console.log(
        `${queueType.padEnd(8)} ${row.client.padEnd(40)} ${fmt(row.msgsPerSec / raw.msgsPerSec, 2)}× throughput, ` +
          `${fmt(row.cpuUsPerMsg / raw.cpuUsPerMsg, 2)}× CPU/msg vs amqplib`,
      );
    }
  }
  return rows;
}

async function measure(
  n: number,
  send: (n: number) => Promise<void>,
): Promise<{ msgsPerSec: number; cpuUsPerMsg: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await send(n);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { msgsPerSec: n / seconds, cpuUsPerMsg: (used.user + used.system) / n };
}

/** The baseline: amqplib's ConfirmChannel, at most WINDOW unconfirmed, honouring `drain`. */
function rawPublish(
  channel: ConfirmChannel,
  queue: string,
  n: number,
  properties: () => Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let confirmed = 0;
    let waitingForDrain = false;
    const onConfirm = (error: unknown): void => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      if (++confirmed === n) resolve();
      else if (!waitingForDrain) pump();
    };
    const pump = (): void => {
      waitingForDrain = false;
      while (sent < n && sent - confirmed < WINDOW) {
        sent++;
        if (!channel.publish('', queue, BODY, properties(), onConfirm)) {
          waitingForDrain = true;
          channel.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

/** Warren: the caller keeps 2 × WINDOW publishes outstanding, so the publisher's own window stays full. */
function warrenPublish(n: number, publish: () => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    const onDone = (): void => {
      if (++done === n) resolve();
      else pump();
    };
    const pump = (): void => {
      while (sent < n && sent - done < 2 * WINDOW) {
        sent++;
        publish().then(onDone, reject);
      }
    };
    pump();
  });
}

// ------------------------------------------------------------------------------------------------------- latency

interface Latency {
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

async function latencySection(admin: Channel): Promise<Latency[]> {
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
  const { createConsumer } = await import('../../packages/consumer/src');
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

// --------------------------------------------------------------------------------------------------- broker down

async function brokerDownSection(): Promise<Record<string, number>> {
  const total = Number(process.env.BENCH_DOWN_MESSAGES ?? 1_000_000);
  // Nothing listens on port 1: every connect attempt is refused, as with a broker that is down.
  const publisher: Publisher = createPublisher({ urls: 'amqp://guest:guest@127.0.0.1:1', reconnectSeconds: 1 });
  const mb = (): number => process.memoryUsage().rss / 1024 / 1024;
  const before = mb();
  let peak = before;
  let refused = 0;
  let timedOut = 0;
  const start = performance.now();
  for (let i = 0; i < total; i += 10_000) {
    const chunk: Promise<unknown>[] = [];
    for (let j = 0; j < 10_000; j++) {
      chunk.push(
        publisher.publishRaw('', 'nowhere', BODY).catch((e: { code?: string }) => {
          if (e.code === 'BUFFER_FULL') refused++;
          else timedOut++;
        }),
      );
    }
    // Let refusals settle (accepted ones stay pending until their deadline; they are what the cap bounds).
    await new Promise((resolve) => setImmediate(resolve));
    peak = Math.max(peak, mb());
    if (i % 100_000 === 0)
      console.log(`broker down: ${i} published, buffer ${publisher.bufferSize.messages} msgs, RSS ${fmt(mb(), 0)} MiB`);
  }
  const seconds = (performance.now() - start) / 1000;
  const after = mb();
  const buffered = publisher.bufferSize;
  await publisher.close({ timeoutMs: 0 });
  const row = {
    published: total,
    refusedBufferFull: refused,
    otherFailures: timedOut,
    bufferMessages: buffered.messages,
    bufferMiB: buffered.bytes / 1024 / 1024,
    rssBeforeMiB: before,
    rssPeakMiB: peak,
    rssAfterMiB: after,
    seconds,
  };
  console.log(
    `broker down: ${total} publishes in ${fmt(seconds, 1)} s, ${refused} BUFFER_FULL, buffer held ${buffered.messages} msgs; ` +
      `RSS ${fmt(before, 0)} → peak ${fmt(peak, 0)} → ${fmt(after, 0)} MiB`,
  );
  return row;
}

function fmt(n: number, digits: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
