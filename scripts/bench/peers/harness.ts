/**
 * The child side of the peers bench (../peers.ts): one fresh process runs one client in one scenario and prints one
 * JSON line. A client file (amqplib.ts, warren.ts, ...) only says how that client publishes with confirms and
 * consumes; the loops, the clock and the CPU accounting are here, the same for every client.
 *
 *   node --import tsx scripts/bench/peers/<client>.ts <scenario> <queue> [flags...]
 *
 * Scenarios: `publish` (BENCH_MESSAGES 1 KiB persistent messages, at most WINDOW unconfirmed), `consume` (the driver
 * prefilled the queue with WARM_UP + BENCH_MESSAGES; the clock starts at the WARM_UP-th message), `latency` (a paced
 * publisher at BENCH_RATE msg/s and a consumer on another connection, one warm-up second, then
 * BENCH_LATENCY_SECONDS measured).
 */
import { performance } from 'node:perf_hooks';
import { percentile } from './stats';

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const WINDOW = 1_000;
export const PREFETCH = 100;
export const WARM_UP = 2_000;

/** What the JSON bodies carry: a send time (performance.now(), ms, same process) and padding to 1 KiB. */
export interface Payload {
  t: number;
  id: string;
  note: string;
}

/** One message, ready for either kind of client: raw clients send `body`, a contract client encodes `payload`. */
export interface Message {
  body: Buffer;
  payload: Payload;
}

export interface PeerPublisher {
  /** Publishes to the queue given to `publisher()`; settles when the broker confirms (rejects on a nack). */
  publish(message: Message): Promise<unknown>;
  close(): Promise<void>;
}

export interface PeerConsumer {
  /** Subscribes at `prefetch`; `onMessage` gets the raw body (or the decoded payload) and the message is acked. */
  consume(queue: string, prefetch: number, onMessage: (body: Uint8Array | Payload) => void): Promise<void>;
  close(): Promise<void>;
}

/** A client under test: each call opens a connection of its own and resolves once it is connected. */
export interface Peer {
  publisher(queue: string): Promise<PeerPublisher>;
  consumer(queue: string): Promise<PeerConsumer>;
}

export interface PeerResult {
  scenario: string;
  messages: number;
  msgPerSec: number;
  cpuUsPerMsg: number;
  p50Ms?: number;
  p99Ms?: number;
  maxMs?: number;
}

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const NO_PROGRESS_MS = 30_000;

const NOTE = 'x'.repeat(1024 - Buffer.byteLength(JSON.stringify({ t: 0, id: 'order-000001', note: '' })));

/** A ≈ 1 KiB payload (a few bytes more with a fractional `t`). */
export function newPayload(t = 0): Payload {
  return { t, id: 'order-000001', note: NOTE };
}

export function encode(payload: Payload): Buffer {
  return Buffer.from(JSON.stringify(payload));
}

/** Runs the scenario named on the command line with `peer`, prints its result as one JSON line and exits. */
export function runPeer(createPeer: (flags: string[]) => Peer): void {
  const [scenario, queue, ...flags] = process.argv.slice(2);
  const peer = createPeer(flags);
  const run = (): Promise<PeerResult> => {
    if (scenario === 'publish') return publishScenario(peer, queue!, env('BENCH_MESSAGES', 20_000));
    if (scenario === 'consume') return consumeScenario(peer, queue!, env('BENCH_MESSAGES', 20_000));
    if (scenario === 'latency') return latencyScenario(peer, queue!, env('BENCH_RATE', 2_000));
    return Promise.reject(new Error(`Unknown scenario '${scenario}' (publish, consume, latency).`));
  };
  run().then(
    (result) => {
      console.log(JSON.stringify(result));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** Measures `work` (wall clock and this process's CPU time), for `count` messages. */
async function measure(count: number, work: () => Promise<void>): Promise<{ msgPerSec: number; cpuUsPerMsg: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { msgPerSec: count / seconds, cpuUsPerMsg: (used.user + used.system) / count };
}

/** Keeps at most WINDOW publishes unconfirmed until `n` are confirmed. */
function windowed(n: number, send: () => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let confirmed = 0;
    const onConfirm = (): void => {
      if (++confirmed === n) resolve();
      else pump();
    };
    const pump = (): void => {
      while (sent < n && sent - confirmed < WINDOW) {
        sent++;
        send().then(onConfirm, reject);
      }
    };
    pump();
  });
}

async function publishScenario(peer: Peer, queue: string, messages: number): Promise<PeerResult> {
  const publisher = await peer.publisher(queue);
  const payload = newPayload();
  const message: Message = { body: encode(payload), payload };
  try {
    await windowed(WARM_UP, () => publisher.publish(message));
    const figures = await measure(messages, () => windowed(messages, () => publisher.publish(message)));
    return { scenario: 'publish', messages, ...figures };
  } finally {
    await publisher.close();
  }
}

async function consumeScenario(peer: Peer, queue: string, messages: number): Promise<PeerResult> {
  const consumer = await peer.consumer(queue);
  let received = 0;
  let warm!: () => void;
  let done!: () => void;
  const warmedUp = new Promise<void>((resolve) => (warm = resolve));
  const drained = new Promise<void>((resolve) => (done = resolve));
  try {
    await consumer.consume(queue, PREFETCH, () => {
      received++;
      if (received === WARM_UP) warm();
      else if (received === WARM_UP + messages) done();
    });
    await bounded(warmedUp, () => received);
    const figures = await measure(messages, () => bounded(drained, () => received));
    return { scenario: 'consume', messages, ...figures };
  } finally {
    await consumer.close();
  }
}

/** Waits for `promise`, failing when `progress()` stands still for NO_PROGRESS_MS (a shared broker may stall). */
async function bounded(promise: Promise<void>, progress: () => number): Promise<void> {
  let last = progress();
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (progress() !== last) last = progress();
      else reject(new Error(`No progress for ${NO_PROGRESS_MS / 1000} s at ${last} messages.`));
    }, NO_PROGRESS_MS);
  });
  try {
    await Promise.race([promise, stalled]);
  } finally {
    clearInterval(timer);
  }
}

async function latencyScenario(peer: Peer, queue: string, rate: number): Promise<PeerResult> {
  const seconds = env('BENCH_LATENCY_SECONDS', 10);
  const consumer = await peer.consumer(queue);
  const publisher = await peer.publisher(queue);
  try {
    return await paced(publisher, consumer, queue, rate, seconds);
  } finally {
    await publisher.close();
    await consumer.close();
  }
}

const stampOf = (body: Uint8Array | Payload): number =>
  body instanceof Uint8Array
    ? (JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')) as Payload).t
    : body.t;

/** One warm-up second, then `seconds` at `rate` msg/s, each body stamped with its send time. */
async function paced(
  publisher: PeerPublisher,
  consumer: PeerConsumer,
  queue: string,
  rate: number,
  seconds: number,
): Promise<PeerResult> {
  const total = rate * (1 + seconds);
  const latencies: number[] = [];
  let received = 0;
  let done!: () => void;
  const allReceived = new Promise<void>((resolve) => (done = resolve));
  await consumer.consume(queue, PREFETCH, (body) => {
    if (++received > rate) latencies.push(performance.now() - stampOf(body));
    if (received === total) done();
  });
  const start = performance.now();
  const confirms: Promise<unknown>[] = [];
  let cpu: NodeJS.CpuUsage | undefined;
  for (let sent = 0; sent < total; await new Promise((resolve) => setTimeout(resolve, 1))) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    for (; sent < due; sent++) {
      if (sent === rate) cpu = process.cpuUsage();
      const payload = newPayload(performance.now());
      // Encoded only by the clients that send a Buffer: a contract client's run would pay for it and not use it.
      confirms.push(
        publisher.publish({
          payload,
          get body() {
            return encode(payload);
          },
        }),
      );
    }
  }
  await Promise.all(confirms);
  await bounded(allReceived, () => received);
  const used = process.cpuUsage(cpu);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    scenario: 'latency',
    messages: sorted.length,
    msgPerSec: rate,
    cpuUsPerMsg: (used.user + used.system) / sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? NaN,
  };
}
