/**
 * Publisher benchmark (a script, not a test): against one broker in one run,
 *
 * 1. throughput and client CPU per message, 1 KiB persistent messages, classic and quorum queues:
 *    raw amqplib ConfirmChannel with a 1,000-message window vs Warren's `publishRaw` (Buffer), `publish`
 *    (a zod contract, JSON) and `publish` of a `rawCodec` contract (Buffer, no schema);
 * 2. end-to-end latency at a steady 2,000 msg/s: Warren publisher → Warren consumer (and raw amqplib with default
 *    socket options → raw consumer, to show what Nagle's algorithm costs), in publish/latency.ts;
 * 3. RSS while publishing 1 M messages into a broker that is down (the buffer cap must hold it flat).
 *
 *   AMQP_URL=amqp://guest:guest@127.0.0.1:5672 npm run bench -- publish
 *   BENCH_MESSAGES=100000 BENCH_SECTIONS=throughput,latency,down BENCH_WARMUP=30000 ...
 *
 * BENCH_OTEL=1 registers the OpenTelemetry SDK first (scripts/bench/otel.ts): the cost of the spans and metrics.
 *
 * Prints a table and writes `.bench/publish.json`.
 */
import './otel'; // first: BENCH_OTEL=1 registers the OpenTelemetry SDK before anything is created
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import { z } from 'zod';
import { defineContract, rawCodec } from '@warren/core';
import { createPublisher, type Publisher } from '@warren/publisher';
import { AMQP_URL, fmt, run } from './publish/common';
import { latencySection } from './publish/latency';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 50_000);
const SECTIONS = (process.env.BENCH_SECTIONS ?? 'throughput,latency,down').split(',');
// Messages sent before each throughput row is timed. The first Warren row needs ~30,000 to reach its steady state
// (JIT): with 5,000 it pays ~7 µs/msg more than the rows after it.
const WARMUP = Number(process.env.BENCH_WARMUP ?? Math.min(5_000, MESSAGES));
const WINDOW = 1_000;
const BODY = Buffer.alloc(1024, 'x');
const PAYLOAD = { id: 'order-1', note: 'x'.repeat(1024 - 30) }; // ≈ 1 KiB of JSON
const PERSISTENT: Options.Publish = { persistent: true };
// The raw rows send properties of the same sizes as Warren's: a 22-character id, like the publisher's.
let ids = 0;
const newMessageId = (): string => (ids++).toString(36).padStart(22, '0');
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
    const bytes = defineContract({ exchange: '', routingKey: queue, codec: rawCodec });
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
      'warren publish (contract, rawCodec)': (n) => warrenPublish(n, () => publisher.publish(bytes, BODY)),
    };
    for (const [client, send] of Object.entries(clients)) {
      await send(WARMUP); // warm-up (JIT, connection)
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
