import { WarrenError, type WarrenCode } from '@warren/core';

/**
 * A dead-letter operation failed. Codes: `QUEUE_NOT_FOUND` (404, the work queue or its `.dlq` does not exist),
 * `REPLAY_UNROUTABLE`, `REPLAY_REJECTED` (the broker did not confirm a re-publish; `moved` says how many made it
 * before), `BROKER_UNREACHABLE`, `BROKER_ERROR`.
 */
export class DeadLetterError extends WarrenError {
  /** For replay errors: how many messages were moved before the failure. */
  readonly moved?: number;
  constructor(
    code: WarrenCode,
    message: string,
    options: { cause?: unknown; replyCode?: number; moved?: number } = {},
  ) {
    super(code, message, options);
    if (options.moved !== undefined) this.moved = options.moved;
  }
}
