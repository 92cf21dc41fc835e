import { randomUUID } from 'node:crypto';
import { WarrenError, checkOptions, knownOptions } from '@warren/core';
import type { Claim, ClaimResult, ClaimTerms, IdempotencyStore } from './store';

/**
 * The part of a Redis client the store uses; an `ioredis` client (`new Redis(url)`) fits. Warren does not import a
 * Redis driver: install `ioredis` (an optional peer dependency) and pass your client.
 */
export interface RedisLike {
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX', get: 'GET'): Promise<string | null>;
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<unknown>;
  eval(script: string, numberOfKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

/** Options of `RedisIdempotencyStore`. */
export interface RedisIdempotencyStoreOptions {
  /** A connected client, e.g. `new Redis(process.env.REDIS_URL)` from `ioredis`. You close it. */
  readonly redis: RedisLike;
  /**
   * Put before every key, so the store's keys do not collide with others in the same database.
   * @default 'warren:idempotency:'
   */
  readonly prefix?: string;
}

const KNOWN_OPTIONS = knownOptions<RedisIdempotencyStoreOptions>({ redis: true, prefix: true });

/** The value of a done key; a claim's value is its token (a UUID), never this. */
const DONE = 'done';

/** Deletes the key only if it still holds this claim's token: a tiny script, because Redis 7 has no compare-and-delete. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/**
 * Keys in Redis, shared by every worker. The claim is one `SET key token PX lease NX GET` (Redis 7 or later): the key
 * is set only if absent, and its old value says whether it is done or held by another worker. The done-mark is a
 * `SET key done PX ttl`.
 *
 * **What it guarantees**: two workers never run the handler for the same key at the same time (within the lease),
 * and a key marked done is not run again within its TTL. **What it does not**: the handler's side effect and the
 * done-mark are two writes to two systems, not one transaction. A worker that dies after the side effect and before
 * the mark (the crash window: at most the messages it had in flight) leaves a claim that expires after `leaseMs`,
 * and the redelivered message runs the handler again. Use `PostgresTransactionalStore` when the side effect is a
 * database write that must happen exactly once.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly redis: RedisLike;
  private readonly prefix: string;

  constructor(options: RedisIdempotencyStoreOptions) {
    if (typeof options?.redis?.set !== 'function' || typeof options.redis.eval !== 'function') {
      throw new WarrenError('INVALID_OPTION', 'redis must be a Redis client (e.g. `new Redis(url)` from ioredis).');
    }
    checkOptions('new RedisIdempotencyStore()', options, KNOWN_OPTIONS);
    this.redis = options.redis;
    this.prefix = options.prefix ?? 'warren:idempotency:';
  }

  async claim(key: string, terms: ClaimTerms): Promise<ClaimResult> {
    const token = randomUUID();
    const previous = await this.redis.set(this.prefix + key, token, 'PX', terms.leaseMs, 'NX', 'GET');
    if (previous === null) return { key, token, ttlMs: terms.ttlMs, session: undefined };
    return previous === DONE ? 'done' : 'busy';
  }

  async complete(claim: Claim): Promise<void> {
    await this.redis.set(this.prefix + claim.key, DONE, 'PX', claim.ttlMs);
  }

  async release(claim: Claim): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.prefix + claim.key, claim.token);
  }
}
