import { WarrenError } from '@warren/core';
import type { PgQueryable } from './pg-like';

/**
 * The default table of the PostgreSQL idempotency stores.
 */
export const DEFAULT_IDEMPOTENCY_TABLE = 'warren_idempotency';

/**
 * The migration that creates the table of the PostgreSQL idempotency stores (idempotent: `IF NOT EXISTS`). Run it
 * with your migration tool, or call `migrateIdempotencyTable()`; the stores never create a table themselves.
 *
 * `key` is `<queue>:<message key>`; `token` identifies the live claim (NULL once done); a row whose `expires_at` has
 * passed is free (an expired lease, or a done-mark past its TTL) and is deleted by `pruneIdempotencyTable()`.
 */
export function idempotencyTableSql(table: string = DEFAULT_IDEMPOTENCY_TABLE): string {
  const name = quotedTable(table);
  const index = quotedTable(`${table}_expires_at`.split('.').pop()!);
  return [
    `CREATE TABLE IF NOT EXISTS ${name} (`,
    '  key text PRIMARY KEY,',
    '  token text,',
    '  done boolean NOT NULL DEFAULT false,',
    '  expires_at timestamptz NOT NULL',
    ');',
    `CREATE INDEX IF NOT EXISTS ${index} ON ${name} (expires_at);`,
  ].join('\n');
}

/** Creates the idempotency table if it does not exist (`idempotencyTableSql`). Call it explicitly, at deploy time. */
export async function migrateIdempotencyTable(
  db: PgQueryable,
  table: string = DEFAULT_IDEMPOTENCY_TABLE,
): Promise<void> {
  await db.query(idempotencyTableSql(table));
}

/** Deletes the rows whose lease or TTL has passed; returns how many. Run it now and then (a cron job, a timer). */
export async function pruneIdempotencyTable(
  db: PgQueryable,
  table: string = DEFAULT_IDEMPOTENCY_TABLE,
): Promise<number> {
  const { rows } = await db.query(
    `WITH gone AS (DELETE FROM ${quotedTable(table)} WHERE expires_at <= now() RETURNING 1) SELECT count(*)::int AS n FROM gone`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * `name` or `schema.name`, quoted. Only plain identifiers are accepted: the name is put into SQL text.
 * @internal
 */
export function quotedTable(table: string): string {
  if (typeof table !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/.test(table)) {
    throw new WarrenError(
      'INVALID_OPTION',
      `table must be a PostgreSQL identifier (letters, digits, _; optionally schema.name), got ${JSON.stringify(table)}.`,
    );
  }
  return table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

/** `idempotencyTableSql()` for the default table, `warren_idempotency`. */
export const IDEMPOTENCY_TABLE_SQL: string = idempotencyTableSql();
