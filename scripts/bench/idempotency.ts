/**
 * Idempotency benchmark: the time and client CPU each idempotency store adds per message, against the same consumer
 * without one. Every contender drains the same pre-filled queue (prefetch 100, small JSON, async no-op handler; every
 * messageId new, so every message is claimed and marked done), in rounds whose order rotates; medians are reported,
 * and "added" is the contender's median minus the no-store median.
 *
 *   npm run bench -- idempotency
 *
 * Environment: AMQP_URL, REDIS_URL (redis://127.0.0.1:6379), DATABASE_URL (postgres://postgres@127.0.0.1:5432/test),
 * BENCH_ROUNDS (3), BENCH_MESSAGES (10000).
 */
import { connect, type ChannelModel } from 'amqplib';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { applyTopology, deleteTopology, deriveTopology, parseTopology, type DesiredTopology } from '@warren/topology';
import {
  createConsumer,
  MemoryIdempotencyStore,
  migrateIdempotencyTable,
  PostgresIdempotencyStore,
  PostgresTransactionalStore,
  RedisIdempotencyStore,
  type ConsumeOptions,
  type IdempotencyStore,
} from '@warren/consumer';

const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const PREFETCH = 100;

interface Run {
  wallMicros: number;
  cpuMicros: number;
}

async function fill(model: ChannelModel, queue: string, count: number, round: number): Promise<void> {
  const channel = await model.createConfirmChannel();
  const body = Buffer.from(JSON.stringify({ orderId: 'o', total: 1 }));
  for (let i = 0; i < count; i++) {
    const options = { contentType: 'application/json', messageId: `r${round}-${i}`, persistent: false };
    if (!channel.publish('', queue, body, options)) await new Promise((resolve) => channel.once('drain', resolve));
    if (i % 5000 === 4999) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
  await channel.close();
}

/** From the subscription to the last ack: elapsed and CPU time of this process, per message. */
async function drain(topology: DesiredTopology, queue: string, count: number, store?: IdempotencyStore<unknown>) {
  const consumer = createConsumer({ urls: url, topology, name: 'warren-bench-idempotency' });
  await new Promise<void>((resolve) => consumer.once('connected', () => resolve()));
  const options: ConsumeOptions<unknown, unknown> = { prefetch: PREFETCH, ...(store && { idempotency: { store } }) };
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await consumer.consume<unknown>(queue, async () => undefined, options as ConsumeOptions<unknown, undefined>);
  let last = -1;
  let since = Date.now();
  for (let acked = 0; acked < count; acked = consumer.stats().acked) {
    if (acked !== last) [last, since] = [acked, Date.now()];
    if (Date.now() - since > 30_000) throw new Error(`No progress for 30 s at ${acked} of ${count} acks.`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e3;
  const used = process.cpuUsage(cpu);
  await consumer.close();
  return { wallMicros: wall / count, cpuMicros: (used.user + used.system) / count };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function benchIdempotency(): Promise<void> {
  const rounds = env('BENCH_ROUNDS', 3);
  const messages = env('BENCH_MESSAGES', 10_000);
  const queue = `warren-bench-idempotency-${process.pid}`;
  const table = `warren_bench_idempotency_${process.pid}`;
  const prefix = `warren-bench-idempotency-${process.pid}:`;
  const desired = deriveTopology(parseTopology({ queues: { [queue]: { type: 'classic' } } }));
  await applyTopology(desired, { amqpUrl: url });
  const model = await connect(url);
  model.on('error', () => undefined);
  const redis = new Redis(redisUrl);
  const pool = new Pool({ connectionString: databaseUrl, max: PREFETCH + 5 });
  try {
    await migrateIdempotencyTable(pool, table);
    const contenders: Record<string, () => IdempotencyStore<unknown> | undefined> = {
      none: () => undefined,
      memory: () => new MemoryIdempotencyStore(),
      redis: () => new RedisIdempotencyStore({ redis, prefix }),
      postgres: () => new PostgresIdempotencyStore({ pool, table }),
      postgresTransactional: () => new PostgresTransactionalStore({ pool, table }),
    };
    const names = Object.keys(contenders);
    const runs: Record<string, Run[]> = Object.fromEntries(names.map((name) => [name, []]));
    let round = 0;
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(r + i) % names.length]!;
        await fill(model, queue, messages, ++round);
        runs[name]!.push(await drain(desired, queue, messages, contenders[name]!()));
      }
    }
    const base = { wall: median(runs.none!.map((r) => r.wallMicros)), cpu: median(runs.none!.map((r) => r.cpuMicros)) };
    const report = Object.fromEntries(
      names.map((name) => {
        const wall = median(runs[name]!.map((r) => r.wallMicros));
        const cpu = median(runs[name]!.map((r) => r.cpuMicros));
        return [
          name,
          {
            wallMicrosPerMessage: +wall.toFixed(1),
            cpuMicrosPerMessage: +cpu.toFixed(1),
            addedWallMicros: +(wall - base.wall).toFixed(1),
            addedCpuMicros: +(cpu - base.cpu).toFixed(1),
          },
        ];
      }),
    );
    console.log(JSON.stringify({ idempotency: { messages, rounds, prefetch: PREFETCH, stores: report } }, null, 2));
  } finally {
    const keys = await redis.keys(`${prefix}*`).catch(() => []);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
    await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pool.end();
    await model.close().catch(() => undefined);
    await deleteTopology(desired, { amqpUrl: url });
  }
}

if (require.main === module) {
  benchIdempotency().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
