/**
 * Consumer benchmark: raw amqplib (prefetch 100, no-op handler, ack each; and the same plus JSON.parse and zod) against Warren's consumer (JSON decoding
 * and zod validation of a 1 KiB message, async no-op handler; and a `rawCodec` contract: the Buffer, no schema) on the
 * same pre-filled queue, in interleaved rounds;
 * then the retry path (every message fails once; Warren against the same flow by hand with amqplib) and the client's
 * RSS while draining a large backlog.
 *
 * The broker's throughput is bimodal from run to run, so compare the client CPU time per message and the medians.
 *
 *   AMQP_URL=amqp://guest:guest@127.0.0.1:5672 npx tsx --tsconfig scripts/bench/tsconfig.json scripts/bench/consume.ts
 *
 * `node --expose-gc` (NODE_OPTIONS=--expose-gc) makes the backlog run sample the heap after a full collection.
 *
 * Environment: BENCH_ROUNDS (5; the retry path runs min(3, rounds) rounds), BENCH_MESSAGES (50000), BENCH_RETRY_MESSAGES (20000), BENCH_BACKLOG (1000000; 0
 * skips the RSS run), BENCH_QUEUE_TYPE (classic), BENCH_PREFETCH (100), BENCH_OTEL (1: with the OpenTelemetry SDK, scripts/bench/otel.ts).
 */
import './otel'; // first: BENCH_OTEL=1 registers the OpenTelemetry SDK before anything is created
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { z } from 'zod';
import { defineContract, HEADERS, rawCodec } from '@warren/core';
import {
  applyTopology,
  deleteTopology,
  deriveTopology,
  parseTopology,
  workQueueLayout,
  type DesiredTopology,
} from '@warren/topology';
import { createConsumer, type Consumer } from '@warren/consumer';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const PREFETCH = env('BENCH_PREFETCH', 100);

const Order = z.object({
  orderId: z.string(),
  customerId: z.string(),
  total: z.number(),
  currency: z.string().length(3),
  items: z.array(z.object({ sku: z.string(), quantity: z.number().int(), price: z.number() })),
  note: z.string(),
});

/** A 1 KiB order (JSON). */
function payload(i: number): Buffer {
  const order = {
    orderId: `order-${i}`,
    customerId: `customer-${i % 1000}`,
    total: 123.45,
    currency: 'EUR',
    items: Array.from({ length: 5 }, (_, n) => ({ sku: `sku-${n}`, quantity: n + 1, price: 9.99 })),
    note: '',
  };
  const size = Buffer.byteLength(JSON.stringify(order));
  order.note = 'x'.repeat(Math.max(0, 1024 - size));
  return Buffer.from(JSON.stringify(order));
}

export interface DrainResult {
  messagesPerSecond: number;
  cpuMicrosPerMessage: number;
}

async function fill(model: ChannelModel, queue: string, count: number): Promise<void> {
  const channel = await model.createConfirmChannel();
  const body = payload(1);
  for (let i = 0; i < count; i++) {
    const options = { contentType: 'application/json', messageId: `m-${i}`, persistent: false };
    if (!channel.publish('', queue, body, options)) await new Promise((resolve) => channel.once('drain', resolve));
    if (i % 5000 === 4999) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
  await channel.close();
}

/** Measures from the subscription to the last ack: elapsed time and this process's CPU time. */
async function measure(count: number, drain: () => Promise<void>): Promise<DrainResult> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await drain();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { messagesPerSecond: count / seconds, cpuMicrosPerMessage: (used.user + used.system) / count };
}

/**
 * Raw amqplib; with `decode`, it also does the work Warren's consumer must do per message (JSON.parse and the zod
 * validation), which separates that intrinsic cost from the runtime's own.
 */
function drainRaw(model: ChannelModel, queue: string, count: number, decode = false): Promise<DrainResult> {
  return measure(count, async () => {
    const channel = await model.createChannel();
    await drainWith(channel, queue, count, (message, finish) => {
      if (decode && !Order.safeParse(JSON.parse(message.content.toString('utf8'))).success) throw new Error('invalid');
      channel.ack(message);
      finish();
    });
  });
}

/** Consumes `queue` at PREFETCH until `finish` was called `count` times, then cancels and closes the channel. */
async function drainWith(
  channel: Channel,
  queue: string,
  count: number,
  handle: (message: ConsumeMessage, finish: () => void) => void,
): Promise<void> {
  await channel.prefetch(PREFETCH);
  let finished = 0;
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const finish = (): void => {
    if (++finished === count) done();
  };
  const { consumerTag } = await channel.consume(queue, (message) => {
    if (message !== null) handle(message, finish);
  });
  await all;
  await channel.cancel(consumerTag);
  await channel.close();
}

/**
 * The retry path written by hand with amqplib, the broker work Warren's does: a failed delivery is copied
 * (persistent, mandatory, its attempt in a header) to the retry tier queue and acked when the broker confirms the
 * copy; the tier dead-letters it back after its delay, and the second delivery is acked. Also records how long each
 * copy waited for its confirm: the bound on this path, with `prefetch` deliveries in flight.
 */
function drainRawRetry(model: ChannelModel, queue: string, tierQueue: string, count: number, confirmMs: number[]) {
  return measure(count, async () => {
    const channel = await model.createConfirmChannel();
    await drainWith(channel, queue, count, (message, finish) => {
      const headers = message.properties.headers ?? {};
      if (headers[HEADERS.attempt] === 2) {
        channel.ack(message);
        return finish();
      }
      const error = new Error('first attempt fails'); // as the handler of Warren's run throws
      const { contentType, messageId } = message.properties;
      const copy = { ...headers, [HEADERS.attempt]: 2, [HEADERS.error]: error.message };
      const options = { contentType, messageId, headers: copy, persistent: true, mandatory: true };
      const sent = performance.now();
      channel.publish('', tierQueue, message.content, options, (failed: unknown) => {
        confirmMs.push(performance.now() - sent);
        if (failed) channel.nack(message, false, true);
        else channel.ack(message);
      });
    });
  });
}

/**
 * Every message fails once: Warren's consumer (JSON and zod, the handler throws on the first attempt) and the same
 * flow by hand with amqplib, in interleaved rounds on the same queue and 100 ms tier.
 */
async function retryPath(model: ChannelModel, desired: DesiredTopology, queue: string, rounds: number, count: number) {
  const tier = workQueueLayout(desired, queue).retryTiers[0]!.queue;
  const warren: DrainResult[] = [];
  const raw: DrainResult[] = [];
  const confirmMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const which of round % 2 ? ['raw', 'warren'] : ['warren', 'raw']) {
      await fill(model, queue, count);
      if (which === 'warren') warren.push(await drainWarren(desired, queue, count, true));
      else raw.push(await drainRawRetry(model, queue, tier, count, confirmMs));
    }
  }
  const percentile = (p: number) => +[...confirmMs].sort((a, b) => a - b)[Math.floor(confirmMs.length * p)]!.toFixed(1);
  return {
    messages: count,
    rounds,
    warrenConsumer: summary(warren),
    rawAmqplibByHand: summary(raw),
    rawCopyConfirmMs: { p50: percentile(0.5), p90: percentile(0.9), p99: percentile(0.99) },
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const summary = (results: DrainResult[]) => ({
  medianMsgsPerSecond: Math.round(median(results.map((r) => r.messagesPerSecond))),
  medianCpuMicrosPerMessage: +median(results.map((r) => r.cpuMicrosPerMessage)).toFixed(1),
  runs: results.map((r) => `${Math.round(r.messagesPerSecond)} msg/s, ${r.cpuMicrosPerMessage.toFixed(1)} µs`),
});

async function connectedConsumer(topology: DesiredTopology): Promise<Consumer> {
  const consumer = createConsumer({ urls: url, topology, name: 'warren-bench-consumer' });
  await new Promise<void>((resolve) => consumer.once('connected', () => resolve()));
  return consumer;
}

async function drainWarren(topology: DesiredTopology, queue: string, count: number, failOnce = false, raw = false) {
  const consumer = await connectedConsumer(topology);
  const contract = raw
    ? defineContract({ exchange: '', routingKey: queue, queue, codec: rawCodec })
    : defineContract({ exchange: '', routingKey: queue, queue, schema: Order });
  const result = await measure(count, async () => {
    await consumer.consume(
      contract,
      async (_order, ctx) => {
        if (failOnce && ctx.attempt === 1) throw new Error('first attempt fails');
      },
      { prefetch: PREFETCH },
    );
    await allAcked(consumer, count);
  });
  await consumer.close();
  return result;
}

/** Polls (every 2 ms) rather than listening to 'acked', so the bench adds no work per message. */
async function allAcked(consumer: Consumer, count: number): Promise<void> {
  let last = -1;
  let since = Date.now();
  for (let acked = consumer.stats().acked; acked < count; acked = consumer.stats().acked) {
    if (acked !== last) [last, since] = [acked, Date.now()];
    // On a shared broker the queue may vanish under us: fail rather than hang.
    if (Date.now() - since > 30_000) throw new Error(`No progress for 30 s at ${acked} of ${count} acks.`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

async function backlogRss(model: ChannelModel, topology: DesiredTopology, queue: string, count: number) {
  await fill(model, queue, count);
  const consumer = await connectedConsumer(topology);
  const samples: { acked: number; rssMiB: number; heapMiB: number }[] = [];
  // With `node --expose-gc` the heap is sampled after a full collection: live objects only, so a leak shows.
  const gc = (globalThis as { gc?: () => void }).gc;
  const sample = (): number => {
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    return samples.push({ acked: consumer.stats().acked, rssMiB: rss / 2 ** 20, heapMiB: heapUsed / 2 ** 20 });
  };
  const timer = setInterval(sample, 1000);
  const start = Date.now();
  await consumer.consume(queue, async () => undefined, { prefetch: PREFETCH });
  await allAcked(consumer, count);
  clearInterval(timer);
  sample();
  await consumer.close();
  const at = (fraction: number) => samples.find((s) => s.acked >= count * fraction) ?? samples[samples.length - 1]!;
  const rss = samples.filter((s) => s.acked >= count * 0.1).map((s) => s.rssMiB);
  return {
    messages: count,
    seconds: (Date.now() - start) / 1000,
    /** RSS when 10 %, 20 %, ... 100 % of the backlog was acked: flat means no growth with the messages drained. */
    rssMiBByDecile: DECILES.map((f) => Math.round(at(f).rssMiB)),
    /** The JS heap in use at the same points (after a full collection when run with `--expose-gc`). */
    heapMiBByDecile: DECILES.map((f) => Math.round(at(f).heapMiB)),
    heapAfterGc: gc !== undefined,
    rssMiB: { min: Math.round(Math.min(...rss)), max: Math.round(Math.max(...rss)) },
  };
}

/** Interleaved rounds (the order alternates) of raw amqplib and Warren on the same pre-filled queue. */
async function compare(model: ChannelModel, desired: DesiredTopology, queue: string, rounds: number, messages: number) {
  const raw: DrainResult[] = [];
  const rawDecode: DrainResult[] = [];
  const warren: DrainResult[] = [];
  const warrenRaw: DrainResult[] = [];
  const contenders = ['raw', 'rawDecode', 'warren', 'warrenRaw'] as const;
  for (let round = 0; round < rounds; round++) {
    // Rotate the order so that no contender always runs first (or right after a fill of a cold broker).
    for (let i = 0; i < contenders.length; i++) {
      const which = contenders[(round + i) % contenders.length]!;
      await fill(model, queue, messages);
      if (which === 'raw') raw.push(await drainRaw(model, queue, messages));
      else if (which === 'rawDecode') rawDecode.push(await drainRaw(model, queue, messages, true));
      else if (which === 'warren') warren.push(await drainWarren(desired, queue, messages));
      else warrenRaw.push(await drainWarren(desired, queue, messages, false, true));
    }
  }
  const ratio = median(warren.map((r) => r.messagesPerSecond)) / median(raw.map((r) => r.messagesPerSecond));
  return {
    messages,
    rounds,
    rawAmqplib: summary(raw),
    rawAmqplibWithJsonAndZod: summary(rawDecode),
    warrenConsumer: summary(warren),
    warrenConsumerRawCodec: summary(warrenRaw),
    throughputRatio: +ratio.toFixed(2),
  };
}

export async function benchConsume(): Promise<void> {
  const rounds = env('BENCH_ROUNDS', 5);
  const messages = env('BENCH_MESSAGES', 50_000);
  const retryMessages = env('BENCH_RETRY_MESSAGES', 20_000);
  const backlog = env('BENCH_BACKLOG', 1_000_000);
  const type = (process.env.BENCH_QUEUE_TYPE ?? 'classic') as 'classic' | 'quorum';
  const queue = `warren-bench-consume-${process.pid}`;
  const desired = deriveTopology(parseTopology({ queues: { [queue]: { type, retry: { delays: ['100ms'] } } } }));
  await applyTopology(desired, { amqpUrl: url });
  const model = await connect(url);
  model.on('error', () => undefined);
  try {
    const report: Record<string, unknown> = { queueType: type };
    if (rounds > 0) Object.assign(report, await compare(model, desired, queue, rounds, messages));
    if (retryMessages > 0) {
      const retry = await retryPath(model, desired, queue, Math.min(3, Math.max(1, rounds)), retryMessages);
      report.retryPathEveryMessageFailsOnce = retry;
      const happy = (report.warrenConsumer as ReturnType<typeof summary> | undefined)?.medianMsgsPerSecond;
      if (happy) report.retryToHappyPathRatio = +(retry.warrenConsumer.medianMsgsPerSecond / happy).toFixed(2);
    }
    if (backlog > 0) report.backlogDrain = await backlogRss(model, desired, queue, backlog);
    console.log(JSON.stringify({ consume: report }, null, 2));
  } finally {
    await model.close().catch(() => undefined);
    await deleteTopology(desired, { amqpUrl: url });
  }
}

if (require.main === module) {
  benchConsume().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
