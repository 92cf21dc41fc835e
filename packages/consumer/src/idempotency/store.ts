/**
 * A key a worker holds while its handler runs. `session` is what the store hands the handler as `ctx.transaction`
 * (the open transaction of `PostgresTransactionalStore`; `undefined` for the other stores).
 */
export interface Claim<Session = undefined> {
  readonly key: string;
  /** Identifies this claim, so a worker whose lease ran out cannot release another worker's claim. */
  readonly token: string;
  /** How long the done-mark is kept, from `complete()`. */
  readonly ttlMs: number;
  readonly session: Session;
}

/** The outcome of `claim()`: the key is ours, already **done** (a duplicate), or **busy** (another worker holds it). */
export type ClaimResult<Session = undefined> = Claim<Session> | 'done' | 'busy';

/** How long a claim and a done-mark last. */
export interface ClaimTerms {
  /** A claim not completed or released within this many milliseconds is free again (its worker died). */
  readonly leaseMs: number;
  /** A done-mark is kept this many milliseconds: a duplicate arriving later runs the handler again. */
  readonly ttlMs: number;
}

/**
 * Where an idempotent consumer records the keys it claimed and finished. Implement it to use another database;
 * Warren ships `MemoryIdempotencyStore`, `RedisIdempotencyStore`, `PostgresIdempotencyStore` and
 * `PostgresTransactionalStore`.
 *
 * The consumer calls `claim()` before the handler; `complete()` after it succeeded (then acks); `release()` after it
 * failed (then retries). A rejected `claim()` requeues the message; a rejected `complete()` counts as a failure.
 */
export interface IdempotencyStore<Session = undefined> {
  claim(key: string, terms: ClaimTerms): Promise<ClaimResult<Session>>;
  complete(claim: Claim<Session>): Promise<void>;
  release(claim: Claim<Session>): Promise<void>;
}
