export { createConsumer, Consumer } from './consumer';
export type { ConsumerState } from './consumer';
export type { ConsumerOptions, ConsumeOptions, CloseOptions } from './options';
export { closeOnSignals } from './signals';
export type { CloseOnSignalsOptions } from './signals';
export { NonRetryableError, ConsumerError, HandlerAbortedError } from './errors';
export type { MessageContext } from './context';
export type { Handler } from './handler';
export type { DeadLetterReason } from './decode';
export type { ConsumerStats } from './stats';
export type { LoggerLike, Health, HealthStatus, HealthReason, HealthReasonCode } from '@warren/core';
export type { SubscriptionState, SubscriptionStatus } from './queue-presence';
export type {
  ConsumerEvents,
  DeliveredEvent,
  AckedEvent,
  RetriedEvent,
  DeadLetteredEvent,
  RequeuedEvent,
  DuplicateEvent,
} from './events';
// Idempotency: the option, the store interface and the stores (their drivers are optional peer dependencies).
export type { IdempotencyOptions } from './idempotency/options';
export type { IdempotencyStore, Claim, ClaimResult, ClaimTerms } from './idempotency/store';
export { IdempotencyStoreError } from './idempotency/store-error';
export { MemoryIdempotencyStore } from './idempotency/memory-store';
export type { MemoryIdempotencyStoreOptions } from './idempotency/memory-store';
export { RedisIdempotencyStore } from './idempotency/redis-store';
export type { RedisLike, RedisIdempotencyStoreOptions } from './idempotency/redis-store';
export { PostgresIdempotencyStore } from './idempotency/postgres-store';
export type { PostgresIdempotencyStoreOptions } from './idempotency/postgres-store';
export { PostgresTransactionalStore } from './idempotency/postgres-transactional-store';
export type { PostgresTransactionalStoreOptions } from './idempotency/postgres-transactional-store';
export type { PgQueryable, PgClientLike, PgPoolLike } from './idempotency/pg-like';
export {
  IDEMPOTENCY_TABLE_SQL,
  DEFAULT_IDEMPOTENCY_TABLE,
  idempotencyTableSql,
  migrateIdempotencyTable,
  pruneIdempotencyTable,
} from './idempotency/migration';
