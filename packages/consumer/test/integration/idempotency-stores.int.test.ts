// The Redis and PostgreSQL idempotency stores against the real servers, then through the broker with two consumers
// (two workers) receiving the same keys at once.
import type Redis from 'ioredis';
import type { Pool, PoolClient } from 'pg';
import { uniqueName, useBroker } from '@warren/testing';
import {
  PostgresIdempotencyStore,
  PostgresTransactionalStore,
  RedisIdempotencyStore,
  idempotencyTableSql,
  migrateIdempotencyTable,
  pruneIdempotencyTable,
  type Claim,
  type IdempotencyStore,
} from '../../src';
import { sleep, until, useConsumerFixtures } from './helpers';
import { connectPostgres, connectRedis, deleteRedisKeys } from './stores';

const broker = useBroker();
const fx = useConsumerFixtures(broker);
const table = uniqueName('warren_idem').replace(/-/g, '_');
const effects = `${table}_effects`;
const prefix = `${uniqueName('warren-idem')}:`;
let redis: Redis;
let pool: Pool;

beforeAll(async () => {
  redis = await connectRedis();
  pool = await connectPostgres(30);
  await migrateIdempotencyTable(pool, table);
  await pool.query(`CREATE TABLE ${effects} (key text NOT NULL)`);
});
afterAll(async () => {
  await deleteRedisKeys(redis, prefix).catch(() => undefined);
  await pool?.query(`DROP TABLE IF EXISTS ${table}, ${effects}`);
  redis?.disconnect();
  await pool?.end();
});

const terms = { leaseMs: 300, ttlMs: 60_000 };

describe.each([
  ['RedisIdempotencyStore', () => new RedisIdempotencyStore({ redis, prefix })],
  ['PostgresIdempotencyStore', () => new PostgresIdempotencyStore({ pool, table })],
])('%s', (_name, create) => {
  it('claims once: busy while held, free again after release or the lease, done after complete', async () => {
    const store: IdempotencyStore = create();
    const key = uniqueName('k');
    const first = (await store.claim(key, terms)) as Claim;
    expect(first).toMatchObject({ key, ttlMs: 60_000 });
    expect(await store.claim(key, terms)).toBe('busy');
    await store.release(first);
    const second = (await store.claim(key, terms)) as Claim;
    expect(second).toMatchObject({ key });
    await sleep(400); // the lease ends: the holder died
    const third = (await store.claim(key, terms)) as Claim;
    expect(third).toMatchObject({ key });
    await store.release(second); // a stale release must not free the live claim
    expect(await store.claim(key, terms)).toBe('busy');
    await store.complete(third);
    expect(await store.claim(key, terms)).toBe('done');
  });
});

describe('PostgresTransactionalStore', () => {
  const store = () => new PostgresTransactionalStore<PoolClient>({ pool, table });
  const rows = async (key: string): Promise<number> =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${effects} WHERE key = $1`, [key])).rows[0]!.n;

  it("commits the handler's write and the done-mark together; a rollback keeps neither", async () => {
    const s = store();
    const key = uniqueName('tx');
    const claim = (await s.claim(key, terms)) as Claim<PoolClient>;
    await claim.session.query(`INSERT INTO ${effects} (key) VALUES ($1)`, [key]);
    expect(await s.claim(key, terms)).toBe('busy'); // the other worker's transaction is open
    await s.release(claim); // ROLLBACK
    expect(await rows(key)).toBe(0);
    const again = (await s.claim(key, terms)) as Claim<PoolClient>;
    await again.session.query(`INSERT INTO ${effects} (key) VALUES ($1)`, [key]);
    await s.complete(again); // COMMIT
    expect(await rows(key)).toBe(1);
    expect(await s.claim(key, terms)).toBe('done');
  });

  it('rolls back when the worker dies mid-transaction (its connection ends), so the key runs again', async () => {
    const s = store();
    const key = uniqueName('tx-kill');
    const claim = (await s.claim(key, terms)) as Claim<PoolClient>;
    await claim.session.query(`INSERT INTO ${effects} (key) VALUES ($1)`, [key]);
    const { rows: pid } = await claim.session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await pool.query('SELECT pg_terminate_backend($1)', [pid[0]!.pid]);
    claim.session.release(new Error('terminated'));
    let next: Awaited<ReturnType<typeof s.claim>> = 'busy';
    await until('the key to be free', async () => typeof (next = await s.claim(key, terms)) === 'object');
    await s.release(next as unknown as Claim<PoolClient>);
    expect(await rows(key)).toBe(0);
  });

  it('fails with IDEMPOTENCY_STORE_FAILED when a statement of the handler failed (COMMIT answers ROLLBACK)', async () => {
    const s = store();
    const key = uniqueName('tx-aborted');
    const claim = (await s.claim(key, terms)) as Claim<PoolClient>;
    await claim.session.query('SELECT * FROM no_such_table').catch(() => undefined);
    await expect(s.complete(claim)).rejects.toMatchObject({ code: 'IDEMPOTENCY_STORE_FAILED' });
    const again = await s.claim(key, terms);
    expect(typeof again).toBe('object'); // not marked done
    await s.release(again as Claim<PoolClient>);
  });

  it('refuses a table name that is not an identifier', () => {
    expect(() => new PostgresTransactionalStore({ pool, table: 'x; DROP TABLE y' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(idempotencyTableSql('app.inbox')).toContain('CREATE TABLE IF NOT EXISTS "app"."inbox"');
  });

  it('prunes expired rows', async () => {
    const s = new PostgresIdempotencyStore({ pool, table });
    await s.claim(uniqueName('expiring'), { leaseMs: 1, ttlMs: 1 });
    await sleep(5);
    expect(await pruneIdempotencyTable(pool, table)).toBeGreaterThanOrEqual(1);
  });
});

describe('two workers receiving the same keys at once', () => {
  it.each([
    ['redis', () => new RedisIdempotencyStore({ redis, prefix })],
    ['postgres', () => new PostgresIdempotencyStore({ pool, table })],
    ['postgres transactional', () => new PostgresTransactionalStore({ pool, table })],
  ])('never run the handler concurrently for one key, and run it once (%s)', async (_name, create) => {
    const queue = uniqueName('con-idem-pair');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    const running = new Map<string, number>();
    const runs = new Map<string, number>();
    let overlaps = 0;
    const handler = async (_payload: unknown, ctx: { messageId: string | undefined }): Promise<void> => {
      const id = ctx.messageId!;
      running.set(id, (running.get(id) ?? 0) + 1);
      if (running.get(id)! > 1) overlaps++;
      runs.set(id, (runs.get(id) ?? 0) + 1);
      await sleep(30);
      running.set(id, running.get(id)! - 1);
    };
    const workers = [fx.consumer(topology), fx.consumer(topology)];
    for (const worker of workers) {
      await worker.consume(queue, handler, { prefetch: 10, idempotency: { store: create(), leaseMs: 10_000 } });
    }
    const ids = Array.from({ length: 40 }, (_, i) => `${queue}-${i}`);
    // Each id three times in a row: round-robin dispatch hands the copies to both workers at the same moment.
    for (const id of ids) for (let copy = 0; copy < 3; copy++) await fx.publish('', queue, { id }, { messageId: id });
    await until(
      'every message to be settled',
      () => {
        const [a, b] = workers.map((w) => w.stats());
        return a!.acked + b!.acked === 120;
      },
      30_000,
    );
    const duplicates = workers.reduce((n, w) => n + w.stats().duplicates, 0);
    const requeued = workers.reduce((n, w) => n + w.stats().requeued, 0);
    expect(overlaps).toBe(0);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(40);
    expect(duplicates).toBe(80);
    expect(requeued).toBe(0); // a busy key waits in its worker: no requeue spends the delivery limit
    expect(await fx.depth(queue)).toBe(0);
  });

  it("gives the transactional store's client to the handler as ctx.transaction, typed", async () => {
    const queue = uniqueName('con-idem-tx');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    const consumer = fx.consumer(topology);
    const store = new PostgresTransactionalStore<PoolClient>({ pool, table });
    await consumer.consume(
      queue,
      async (_payload, ctx) => {
        // ctx.transaction is a pg.PoolClient here: a type error otherwise.
        await ctx.transaction.query(`INSERT INTO ${effects} (key) VALUES ($1)`, [ctx.messageId]);
      },
      { idempotency: { store } },
    );
    await fx.publish('', queue, {}, { messageId: `${queue}-1` });
    await fx.publish('', queue, {}, { messageId: `${queue}-1` });
    await until('both settled', () => consumer.stats().acked === 2);
    const { rows } = await pool.query(`SELECT key FROM ${effects} WHERE key = $1`, [`${queue}-1`]);
    expect(rows).toHaveLength(1);
    expect(consumer.stats().duplicates).toBe(1);
  });
});
