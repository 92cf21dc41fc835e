import { WarrenError } from '@warren/core';

/**
 * An idempotency store failed: it could not mark a key done (the message is retried), or the transaction of
 * `PostgresTransactionalStore` was rolled back at commit. Code `IDEMPOTENCY_STORE_FAILED`; the driver's error is the
 * `cause`. It reaches the message's `x-warren-error` header and the `warning` event, never your code.
 */
export class IdempotencyStoreError extends WarrenError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('IDEMPOTENCY_STORE_FAILED', message, options);
  }
}
