// Redis and PostgreSQL for the idempotency tests: found through REDIS_URL and DATABASE_URL (defaults: the machine's
// servers). A missing server fails the test with a clear message; it is never skipped.
import Redis from 'ioredis';
import { Pool } from 'pg';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A connected ioredis client; throws naming REDIS_URL when Redis does not answer. */
export async function connectRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined); // connect() rejects with it
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `The idempotency tests need Redis at ${REDIS_URL} (set REDIS_URL; .ci/run starts it): ${String(error)}`,
    );
  }
  return redis;
}

/** A pool on DATABASE_URL; throws naming DATABASE_URL when PostgreSQL does not answer. */
export async function connectPostgres(max = 10): Promise<Pool> {
  const pool = new Pool({ connectionString: DATABASE_URL, max, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined); // an idle client's error: the next query reports it
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(
      `The idempotency tests need PostgreSQL at ${DATABASE_URL} (set DATABASE_URL; .ci/run starts it): ${String(error)}`,
    );
  }
  return pool;
}

/** Deletes every Redis key under `prefix`. */
export async function deleteRedisKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}
