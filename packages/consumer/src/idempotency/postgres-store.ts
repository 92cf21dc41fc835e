import { randomUUID } from 'node:crypto';
import { WarrenError, checkOptions, knownOptions } from '@warren/core';
import { DEFAULT_IDEMPOTENCY_TABLE, quotedTable } from './migration';
import type { PgQueryable } from './pg-like';
import type { Claim, ClaimResult, ClaimTerms, IdempotencyStore } from './store';

/** Options of `PostgresIdempotencyStore`. */
export interface PostgresIdempotencyStoreOptions {
  /** A `pg.Pool` (or anything with its `query`). You close it. */
  readonly pool: PgQueryable;
  /**
   * The table, created beforehand by `migrateIdempotencyTable()` or `idempotencyTableSql()` (never by the store).
   * @default 'warren_idempotency'
   */
  readonly table?: string;
}

const KNOWN_OPTIONS = knownOptions<PostgresIdempotencyStoreOptions>({ pool: true, table: true });

/**
 * Keys in a PostgreSQL table, shared by every worker, with the same guarantees as `RedisIdempotencyStore`: no two
 * workers run the handler for one key at once (within the lease), a done key is not run again within its TTL, and
 * the handler's side effect and the done-mark are **not** atomic (a worker that dies between them leaves a claim that
 * expires after `leaseMs`; the message then runs again). For database side effects that must happen exactly once, use
 * `PostgresTransactionalStore`. One round trip per call; the claim is one `INSERT … ON CONFLICT`.
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  private readonly pool: PgQueryable;
  private readonly sql: { claim: string; complete: string; release: string };

  constructor(options: PostgresIdempotencyStoreOptions) {
    if (typeof options?.pool?.query !== 'function') {
      throw new WarrenError('INVALID_OPTION', 'pool must be a pg.Pool (or have its query method).');
    }
    checkOptions('new PostgresIdempotencyStore()', options, KNOWN_OPTIONS);
    this.pool = options.pool;
    const t = quotedTable(options.table ?? DEFAULT_IDEMPOTENCY_TABLE);
    this.sql = {
      // Takes the key when it is absent or expired; otherwise reads whether it is done (an empty result: the row
      // was committed after this statement's snapshot, by a worker that holds it now).
      claim:
        `WITH claimed AS (INSERT INTO ${t} AS t (key, token, done, expires_at) ` +
        `VALUES ($1, $2, false, now() + $3 * interval '1 millisecond') ` +
        'ON CONFLICT (key) DO UPDATE SET token = EXCLUDED.token, done = false, expires_at = EXCLUDED.expires_at ' +
        "WHERE t.expires_at <= now() RETURNING 'claimed' AS status) " +
        'SELECT status FROM claimed UNION ALL ' +
        `SELECT CASE WHEN done THEN 'done' ELSE 'busy' END FROM ${t} ` +
        'WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM claimed)',
      complete:
        `INSERT INTO ${t} (key, token, done, expires_at) VALUES ($1, NULL, true, now() + $2 * interval '1 millisecond') ` +
        'ON CONFLICT (key) DO UPDATE SET token = NULL, done = true, expires_at = EXCLUDED.expires_at',
      release: `DELETE FROM ${t} WHERE key = $1 AND token = $2 AND NOT done`,
    };
  }

  async claim(key: string, terms: ClaimTerms): Promise<ClaimResult> {
    const token = randomUUID();
    const { rows } = await this.pool.query(this.sql.claim, [key, token, terms.leaseMs]);
    const status = rows[0]?.status;
    if (status === 'claimed') return { key, token, ttlMs: terms.ttlMs, session: undefined };
    return status === 'done' ? 'done' : 'busy';
  }

  async complete(claim: Claim): Promise<void> {
    await this.pool.query(this.sql.complete, [claim.key, claim.ttlMs]);
  }

  async release(claim: Claim): Promise<void> {
    await this.pool.query(this.sql.release, [claim.key, claim.token]);
  }
}
