/**
 * Every code a Warren error can carry: the one list. Codes are stable public API (each is documented in the root
 * README's error table, and a test keeps the two in step); messages may change. Each code is thrown by one class.
 */
export const WARREN_CODES = [
  // Connecting (ConnectionConfigError, WarrenError)
  'INVALID_URL',
  'ACCESS_REFUSED',
  'VHOST_NOT_FOUND',
  'TLS_CONFIG',
  'BROKER_UNREACHABLE',
  'INVALID_OPTION',
  'NOT_AMQP',
  // Publishing (@warren/publisher)
  'VALIDATION_FAILED',
  'UNROUTABLE',
  'BROKER_BUSY',
  'BUFFER_FULL',
  'BROKER_BLOCKED',
  'PUBLISH_TIMEOUT',
  'NOT_SENT',
  'MESSAGE_TOO_LARGE',
  'HEADERS_TOO_LARGE',
  'EXCHANGE_NOT_FOUND',
  'PUBLISHER_CLOSED',
  // Request/reply (@warren/publisher)
  'REQUEST_TIMEOUT',
  'REMOTE_ERROR',
  'REPLY_CHANNEL_LOST',
  'INVALID_REPLY',
  'INVALID_DELAY',
  // Consuming (@warren/consumer)
  'NON_RETRYABLE',
  'INVALID_TARGET',
  'CONSUMER_CLOSED',
  'HANDLER_TIMEOUT',
  'SHUTDOWN',
  'CHANNEL_LOST',
  'IDEMPOTENCY_STORE_FAILED',
  // The topology file and the broker's objects (@warren/topology)
  'TOPOLOGY_FILE_ERROR',
  'TOPOLOGY_INVALID',
  'UNKNOWN_QUEUE',
  'TOPOLOGY_DRIFT',
  'PRECONDITION_FAILED',
  'BROKER_REFUSED',
  'BROKER_CONNECTION_LOST',
  'MANAGEMENT_UNREACHABLE',
  'MANAGEMENT_API_ERROR',
  'NOT_RABBITMQ',
  'QUEUE_NOT_FOUND',
  'REPLAY_UNROUTABLE',
  'REPLAY_REJECTED',
  'BROKER_ERROR',
  // The CLI (@warren/cli)
  'CONFIRMATION_REQUIRED',
  'OUTPUT_NOT_WRITABLE',
  // Tests (@warren/testing)
  'NO_TEST_BROKER',
  'INVALID_TEST_BROKER',
  'TEST_CONTAINER_FAILED',
  'TEST_NODE_FAILED',
  'WAIT_TIMEOUT',
] as const;

/** A stable error code: one of `WARREN_CODES`. */
export type WarrenCode = (typeof WARREN_CODES)[number];

/**
 * The base of every error Warren throws. `code` is stable public API (documented in the README and tested);
 * messages may change. `replyCode` keeps the broker's AMQP reply code (403, 404, 406, ...) when there is one.
 */
export class WarrenError extends Error {
  readonly code: WarrenCode;
  readonly replyCode?: number;

  constructor(code: WarrenCode, message: string, options: { cause?: unknown; replyCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.replyCode !== undefined) this.replyCode = options.replyCode;
  }
}
