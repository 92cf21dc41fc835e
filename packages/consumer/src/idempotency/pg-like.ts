/**
 * The parts of `pg` the PostgreSQL stores use: a `pg.Pool` fits `PgPoolLike`, a `pg.PoolClient` fits `PgClientLike`.
 * Warren does not import a PostgreSQL driver: install `pg` (an optional peer dependency) and pass your pool.
 */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; command: string }>;
}

/** A client checked out of a pool: the transaction of `PostgresTransactionalStore` runs on one. */
export interface PgClientLike extends PgQueryable {
  /** Returns the client to its pool; with an error, the pool discards it. */
  release(error?: Error | boolean): void;
  /** pg emits 'error' on a checked-out client whose connection dies: the store listens while it holds one. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** A connection pool (`new pg.Pool({ connectionString })`). */
export interface PgPoolLike<Client extends PgClientLike = PgClientLike> extends PgQueryable {
  connect(): Promise<Client>;
}
