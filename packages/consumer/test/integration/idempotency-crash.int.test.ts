// The "done when": 10,000 messages plus 5 % re-published duplicates (same messageId), three worker processes
// at prefetch 20, one of them SIGKILLed mid-batch and restarted. With PostgresTransactionalStore the handler's table
// ends with exactly 10,000 rows, each once; with RedisIdempotencyStore duplicates reach the handler only in the crash
// window (at most the messages the killed worker had in flight). No key is ever handled by two workers at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'amqplib';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import { uniqueName, useBroker } from '@warren/testing';
import { migrateIdempotencyTable } from '../../src';
import { sleep, until, useConsumerFixtures } from './helpers';
import { connectPostgres, connectRedis, DATABASE_URL, deleteRedisKeys, REDIS_URL } from './stores';

const broker = useBroker();
const fx = useConsumerFixtures(broker);
const MESSAGES = 10_000;
const PREFETCH = 20;

/** One worker process and what it printed. */
class Worker {
  readonly process: ChildProcess;
  readonly starts = new Map<string, number[]>();
  readonly ends = new Map<string, number[]>();
  delivered = 0;
  acked = 0;
  settled = 0;
  ready = false;
  stderr = '';
  readonly exited: Promise<unknown>;
  private rest = '';

  constructor(env: Record<string, string>) {
    this.process = spawn(
      process.execPath,
      ['-r', 'tsx/cjs', '-r', './fixtures/resolveWorkspace.ts', './fixtures/idempotent-worker.ts'],
      { cwd: __dirname, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // 'close', not 'exit': every line it printed has been read by then.
    this.exited = new Promise((resolve) => this.process.on('close', resolve));
    this.process.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.process.stdout!.on('data', (chunk: Buffer) => this.read(chunk.toString()));
  }

  /** Delivered and not settled yet. */
  inFlight(): number {
    return this.delivered - this.acked - this.settled;
  }

  private read(text: string): void {
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop()!;
    for (const line of lines) {
      const [what, id, at] = line.split(' ');
      if (what === 'ready') this.ready = true;
      else if (what === 'delivered') this.delivered++;
      else if (what === 'acked') this.acked++;
      else if (what === 'settled') this.settled++;
      else if (what === 'start' || what === 'end') {
        const map = what === 'start' ? this.starts : this.ends;
        map.set(id!, [...(map.get(id!) ?? []), Number(at)]);
      }
    }
  }
}

/** Every run of the handler for one key, as [start, end] (an unfinished run ends when its worker was killed). */
function overlappingKeys(workers: Worker[], killed: Worker, killedAt: number): string[] {
  const runs = new Map<string, [number, number][]>();
  for (const worker of workers) {
    for (const [id, starts] of worker.starts) {
      const ends = worker.ends.get(id) ?? [];
      starts.forEach((start, i) => {
        const end = ends[i] ?? (worker === killed ? killedAt : Infinity);
        runs.set(id, [...(runs.get(id) ?? []), [start, end]]);
      });
    }
  }
  return [...runs]
    .filter(([, list]) => {
      const sorted = list.sort((a, b) => a[0] - b[0]);
      return sorted.some((run, i) => i > 0 && run[0] < sorted[i - 1]![1]);
    })
    .map(([id]) => id);
}

/** Publishes the messages and their duplicates: half right after the original (a worker next to it gets it at the
 * same moment), half 500 messages later. Confirmed in batches. */
async function publishAll(queue: string, ids: string[]): Promise<number> {
  const connection = await connect(broker.amqpUrl);
  let sent = 0;
  try {
    const channel = await connection.createConfirmChannel();
    const send = (id: string): boolean =>
      ++sent > 0 &&
      channel.sendToQueue(queue, Buffer.from(JSON.stringify({ id })), { messageId: id, persistent: true });
    for (let i = 0; i < ids.length; i++) {
      send(ids[i]!);
      if (i % 40 === 0) send(ids[i]!);
      if (i % 40 === 20 && i >= 500) send(ids[i - 500]!);
      if (i % 500 === 499) await channel.waitForConfirms();
    }
    for (let i = ids.length - 500 + 20; i < ids.length; i += 40) send(ids[i]!); // the late copies of the last 500
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
  return sent - ids.length;
}

async function crashRun(
  store: 'redis' | 'pg-tx',
  env: Record<string, string>,
  effectsComplete: () => Promise<boolean>,
) {
  const queue = uniqueName('con-idem-crash');
  const topology = await fx.declare({ queues: { [queue]: {} } });
  const ids = Array.from({ length: MESSAGES }, (_, i) => `${queue}-${i}`);
  const workerEnv = {
    AMQP_URL: broker.amqpUrl,
    QUEUE: queue,
    TOPOLOGY: JSON.stringify(topology),
    STORE: store,
    PREFETCH: String(PREFETCH),
    HANDLER_MS: '2',
    RETRY_DELAY_MS: '100',
    REDIS_URL,
    DATABASE_URL,
    ...env,
  };
  // The victim's handler is slow (200 ms), so once it reports a delivery it still holds it when the kill lands; with
  // 2 ms handlers three workers outpace the publisher, and the victim was sometimes idle at the kill (0 in flight).
  const workers = [{ ...workerEnv, HANDLER_MS: '200' }, workerEnv, workerEnv].map((env) => new Worker(env));
  const all = [...workers];
  try {
    await until(
      'three workers ready',
      () => {
        const failed = workers.find((w) => w.process.exitCode !== null);
        if (failed) throw new Error(`a worker exited: ${failed.stderr}`);
        return workers.every((w) => w.ready);
      },
      60_000,
    );
    const publishing = publishAll(queue, ids);
    const victim = workers[0]!;
    await until('a third of the messages handled', () => all.reduce((n, w) => n + w.acked, 0) >= MESSAGES / 3, 60_000);
    await until('the victim mid-batch', () => victim.inFlight() > 0, 60_000);
    victim.process.kill('SIGKILL');
    const killedAt = performance.timeOrigin + performance.now();
    await victim.exited;
    const inFlightAtKill = victim.inFlight();
    const restarted = new Worker(workerEnv);
    all.push(restarted);
    workers[0] = restarted;
    expect(await publishing).toBe(MESSAGES / 20); // 5 % duplicates
    // Not a count of acks: the victim may have sent an ack it never got to report. Settled = every key's side
    // effect is there, nothing is in flight in the live workers and nothing is left in the queue, twice in a row.
    const settled = async (): Promise<boolean> =>
      (await effectsComplete()) && workers.every((w) => w.inFlight() === 0) && (await fx.depth(queue)) === 0;
    await until(
      'every message handled, none in flight and the queue empty',
      async () => {
        if (!(await settled())) return false;
        await sleep(300);
        return settled();
      },
      60_000,
    ).catch(async (error: Error) => {
      const state = all.map((w) => `delivered ${w.delivered} acked ${w.acked} settled ${w.settled}`);
      throw new Error(`${error.message}; depth ${await fx.depth(queue)}; workers: ${state.join(' | ')}`);
    });
    for (const worker of workers) worker.process.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    expect(await fx.depth(queue)).toBe(0); // nothing was left unacked either (it would be back in the queue)
    expect(overlappingKeys(all, victim, killedAt)).toEqual([]);
    return { inFlightAtKill, ids };
  } finally {
    for (const worker of all) worker.process.kill('SIGKILL');
  }
}

describe('idempotent consume: three workers, one killed mid-batch', () => {
  let redis: Redis | undefined;
  let pool: Pool | undefined;
  const prefix = `${uniqueName('warren-idem-crash')}:`;
  const table = uniqueName('warren_idem_crash').replace(/-/g, '_');
  afterAll(async () => {
    if (redis) await deleteRedisKeys(redis, prefix);
    redis?.disconnect();
    await pool?.query(`DROP TABLE IF EXISTS ${table}, ${table}_effects`);
    await pool?.end();
  });

  it('PostgresTransactionalStore: the handler table holds exactly 10,000 rows, each once', async () => {
    pool = await connectPostgres();
    await migrateIdempotencyTable(pool, table);
    await pool.query(`CREATE TABLE ${table}_effects (key text NOT NULL)`); // no unique key: a duplicate would show
    const count = async () =>
      (
        await pool!.query<{ n: number; distinct: number }>(
          `SELECT count(*)::int AS n, count(DISTINCT key)::int AS distinct FROM ${table}_effects`,
        )
      ).rows[0]!;
    await crashRun(
      'pg-tx',
      { TABLE: table, EFFECTS: `${table}_effects` },
      async () => (await count()).distinct === MESSAGES,
    );
    expect(await count()).toEqual({ n: MESSAGES, distinct: MESSAGES });
  }, 120_000);

  it('RedisIdempotencyStore: duplicates reach the handler only in the crash window', async () => {
    redis = await connectRedis();
    const effects = `${prefix}effects`;
    const { inFlightAtKill, ids } = await crashRun(
      'redis',
      { PREFIX: prefix, EFFECTS: effects, LEASE_MS: '2000' },
      async () => (await redis!.hlen(effects)) === MESSAGES,
    );
    const counts = Object.values(await redis.hgetall(effects)).map(Number);
    expect(counts).toHaveLength(ids.length);
    const duplicates = counts.reduce((a, b) => a + b, 0) - counts.length;
    expect(inFlightAtKill).toBeGreaterThan(0); // killed mid-batch
    expect(inFlightAtKill).toBeLessThanOrEqual(PREFETCH);
    expect(duplicates).toBeLessThanOrEqual(inFlightAtKill);
  }, 120_000);
});
