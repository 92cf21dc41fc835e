import { randomUUID } from 'node:crypto';
import { WarrenError, checkOptions, knownOptions } from '@warren/core';
import type { Claim, ClaimResult, ClaimTerms, IdempotencyStore } from './store';

/** Options of `MemoryIdempotencyStore`. */
export interface MemoryIdempotencyStoreOptions {
  /**
   * Keys kept at most (claims and done-marks); past it the least recently used key is forgotten, so a duplicate of
   * a forgotten key runs the handler again. An integer from 1 to 2^32.
   * @default 100000
   */
  readonly maxKeys?: number;
}

const KNOWN_OPTIONS = knownOptions<MemoryIdempotencyStoreOptions>({ maxKeys: true });

interface Entry {
  /** The claim's token; `undefined` once done. */
  token: string | undefined;
  expiresAt: number;
}

/**
 * Keys in this process's memory: a bounded LRU whose entries expire. **One process only**: two workers each have
 * their own store, so a duplicate delivered to the other worker runs the handler again. Meant for tests and for a
 * single worker; the default for unit tests of idempotent handlers.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxKeys: number;

  constructor(options: MemoryIdempotencyStoreOptions = {}) {
    checkOptions('new MemoryIdempotencyStore()', options, KNOWN_OPTIONS);
    const maxKeys = options.maxKeys ?? 100_000;
    if (!Number.isInteger(maxKeys) || maxKeys < 1 || maxKeys > 2 ** 32) {
      throw new WarrenError('INVALID_OPTION', `maxKeys must be an integer from 1 to 2^32, got ${String(maxKeys)}.`);
    }
    this.maxKeys = maxKeys;
  }

  /** Keys held now (live or expired but not yet evicted). */
  get size(): number {
    return this.entries.size;
  }

  claim(key: string, terms: ClaimTerms): Promise<ClaimResult> {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.expiresAt > now) {
      this.touch(key, entry);
      return Promise.resolve(entry.token === undefined ? 'done' : 'busy');
    }
    const token = randomUUID();
    this.touch(key, { token, expiresAt: now + terms.leaseMs });
    return Promise.resolve({ key, token, ttlMs: terms.ttlMs, session: undefined });
  }

  complete(claim: Claim): Promise<void> {
    this.touch(claim.key, { token: undefined, expiresAt: Date.now() + claim.ttlMs });
    return Promise.resolve();
  }

  release(claim: Claim): Promise<void> {
    if (this.entries.get(claim.key)?.token === claim.token) this.entries.delete(claim.key);
    return Promise.resolve();
  }

  /** Moves the key to the most recently used end (a Map iterates in insertion order) and evicts the oldest. */
  private touch(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
  }
}
