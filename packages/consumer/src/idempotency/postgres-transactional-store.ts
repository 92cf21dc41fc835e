import { WarrenError, checkOptions, knownOptions } from '@warren/core';
import { DEFAULT_IDEMPOTENCY_TABLE, quotedTable } from './migration';
import { IdempotencyStoreError } from './store-error';
import type { PgClientLike, PgPoolLike } from './pg-like';
import type { Claim, ClaimResult, ClaimTerms, IdempotencyStore } from './store';

/** Options of `PostgresTransactionalStore`. */
export interface PostgresTransactionalStoreOptions<Client extends PgClientLike> {
  /**
   * A `pg.Pool`. Every message in flight holds one of its clients while its handler runs: give it at least
   * `prefetch` clients (`max`), or handlers wait for a client.
   */
  readonly pool: PgPoolLike<Client>;
  /**
   * The table, created beforehand by `migrateIdempotencyTable()` or `idempotencyTableSql()` (never by the store).
   * @default 'warren_idempotency'
   */
  readonly table?: string;
}

const KNOWN_OPTIONS = knownOptions<PostgresTransactionalStoreOptions<PgClientLike>>({ pool: true, table: true });

/**
 * The inbox pattern: the handler runs inside a PostgreSQL transaction that also writes the key's done-mark, and it
 * gets that transaction's client as `ctx.transaction`. Its own writes made through `ctx.transaction` and the mark
 * commit together or not at all, so **a database side effect happens exactly once**, even when the worker is killed
 * between its write and the ack: the killed transaction rolls back, or it committed and the redelivery finds the key
 * done. (Side effects outside this database are still at-least-once.)
 *
 * The claim is `BEGIN`, then `pg_try_advisory_xact_lock` on the key's hash and an `INSERT … ON CONFLICT` of the
 * done-mark: a key locked by another worker's open transaction is busy; a committed, unexpired mark is done. The
 * lease is the transaction itself (it ends with the worker's connection), so `leaseMs` is not used. `complete()` is
 * `COMMIT`, `release()` is `ROLLBACK`; a commit that fails counts as a handler failure (nothing was written).
 *
 * The client's type is `PgClientLike` (it has `query`); name pg's to get all of it: `new
 * PostgresTransactionalStore<pg.PoolClient>({ pool })` (TypeScript cannot infer it from `pg.Pool`'s overloads).
 *
 * @example
 * const store = new PostgresTransactionalStore<PoolClient>({ pool });
 * await consumer.consume(OrderPaid, async (order, ctx) => {
 *   await ctx.transaction.query('INSERT INTO ledger (order_id, amount) VALUES ($1, $2)', [order.id, order.amount]);
 * }, { idempotency: { store } });
 */
export class PostgresTransactionalStore<
  Client extends PgClientLike = PgClientLike,
> implements IdempotencyStore<Client> {
  private readonly pool: PgPoolLike<Client>;
  private readonly claimSql: string;

  constructor(options: PostgresTransactionalStoreOptions<Client>) {
    if (typeof options?.pool?.connect !== 'function') {
      throw new WarrenError('INVALID_OPTION', 'pool must be a pg.Pool (or have its connect method).');
    }
    checkOptions('new PostgresTransactionalStore()', options, KNOWN_OPTIONS);
    this.pool = options.pool;
    const t = quotedTable(options.table ?? DEFAULT_IDEMPOTENCY_TABLE);
    // The lock first: without it, an INSERT of a key another open transaction inserted would wait for that one.
    this.claimSql =
      'WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked), ' +
      `mark AS (INSERT INTO ${t} AS t (key, token, done, expires_at) ` +
      "SELECT $1, NULL, true, now() + $2 * interval '1 millisecond' FROM lock WHERE locked " +
      'ON CONFLICT (key) DO UPDATE SET token = NULL, done = true, expires_at = EXCLUDED.expires_at ' +
      'WHERE t.expires_at <= now() RETURNING 1) ' +
      'SELECT (SELECT locked FROM lock) AS locked, EXISTS (SELECT 1 FROM mark) AS claimed';
  }

  async claim(key: string, terms: ClaimTerms): Promise<ClaimResult<Client>> {
    const client = await this.pool.connect();
    // Without a listener, a connection that dies while the handler runs would crash the process; the next query
    // (the handler's, or COMMIT) reports it instead.
    client.on?.('error', ignore);
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(this.claimSql, [key, terms.ttlMs]);
      const { locked, claimed } = rows[0] ?? {};
      if (claimed === true) return { key, token: '', ttlMs: terms.ttlMs, session: client };
      await client.query('ROLLBACK');
      giveBack(client);
      return locked === true ? 'done' : 'busy';
    } catch (error) {
      giveBack(client, toError(error)); // a client in an unknown state is discarded, not reused
      throw error;
    }
  }

  async complete(claim: Claim<Client>): Promise<void> {
    await this.end(claim.session, 'COMMIT');
  }

  async release(claim: Claim<Client>): Promise<void> {
    await this.end(claim.session, 'ROLLBACK');
  }

  private async end(client: Client, statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    let command: string;
    try {
      ({ command } = await client.query(statement));
    } catch (error) {
      giveBack(client, toError(error));
      throw error;
    }
    giveBack(client);
    // PostgreSQL answers COMMIT with ROLLBACK when a statement of the transaction failed (the handler caught it).
    if (statement === 'COMMIT' && command === 'ROLLBACK') {
      throw new IdempotencyStoreError(
        'The transaction was rolled back instead of committed: a statement of the handler failed. Nothing was ' +
          'written; the message is retried. Let the error propagate out of the handler.',
      );
    }
  }
}

const ignore = (): void => undefined;

function giveBack(client: PgClientLike, error?: Error): void {
  client.removeListener?.('error', ignore);
  client.release(error);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
