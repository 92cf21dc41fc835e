/**
 * Warren's message headers: the protocol the consumer writes when a delivery fails and the dead-letter tools read.
 * The attempt count lives here, not in `x-death` (RabbitMQ 4 stopped updating it).
 */
export const HEADERS = {
  /** 1-based number of the delivery attempt the message is on its way to. */
  attempt: 'x-warren-attempt',
  /** The last handler error's message, truncated. */
  error: 'x-warren-error',
  /** Why the message was dead-lettered: see `DeadLetterReason`. */
  reason: 'x-warren-reason',
  originalExchange: 'x-warren-original-exchange',
  originalRoutingKey: 'x-warren-original-routing-key',
  /** The work queue the message failed in. */
  queue: 'x-warren-queue',
  /** ISO-8601 times of the first and the last failure. */
  firstFailureAt: 'x-warren-first-failure-at',
  lastFailureAt: 'x-warren-last-failure-at',
} as const;

/**
 * The reasons a Warren consumer writes in `x-warren-reason` (the consumer's `DeadLetterReason`), then the reasons
 * the broker writes in `x-death`. `warren dlq replay --filter-reason` accepts exactly these.
 */
export const WARREN_DEAD_LETTER_REASONS = [
  'retries-exhausted',
  'non-retryable',
  'schema-validation',
  'invalid-json',
  'unknown-content-type',
  'content-type-mismatch',
  'decode-failed',
] as const;
export const BROKER_DEAD_LETTER_REASONS = ['rejected', 'expired', 'maxlen', 'delivery_limit'] as const;
export const DEAD_LETTER_REASONS: readonly string[] = [...WARREN_DEAD_LETTER_REASONS, ...BROKER_DEAD_LETTER_REASONS];

/** The broker's own dead-letter records (`x-death`, `x-first-death-*`, `x-last-death-*`). */
export const isBrokerDeathHeader = (key: string): boolean =>
  /^x-(death|(first|last)-death-(exchange|queue|reason))$/.test(key);

/**
 * Headers Warren or the broker set on failure. A replayed message goes without them, so it gets a full set of
 * retries again.
 */
export const isFailureHeader = (key: string): boolean =>
  FAILURE_HEADERS.has(key) || isBrokerDeathHeader(key) || key === 'x-delivery-count';

const FAILURE_HEADERS: ReadonlySet<string> = new Set([
  HEADERS.attempt,
  HEADERS.error,
  HEADERS.reason,
  HEADERS.queue,
  HEADERS.firstFailureAt,
  HEADERS.lastFailureAt,
]);

/** `x-warren-attempt`, 1 when absent or unreadable. */
export function attemptOf(headers: Readonly<Record<string, unknown>> | undefined): number {
  const raw = headers?.[HEADERS.attempt];
  const n = typeof raw === 'number' ? raw : Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** The parts of a delivered message `originOf` reads (amqplib's `Message` fits). */
export interface DeliveredLike {
  readonly fields: { readonly exchange: string; readonly routingKey: string };
  readonly properties: { readonly headers?: Readonly<Record<string, unknown>> };
}

/** The original exchange and routing key (a retried message comes back from its tier through the default exchange). */
export function originOf(message: DeliveredLike): { exchange: string; routingKey: string } {
  const headers = message.properties.headers;
  const exchange = headers?.[HEADERS.originalExchange];
  const routingKey = headers?.[HEADERS.originalRoutingKey];
  return {
    exchange: typeof exchange === 'string' ? exchange : message.fields.exchange,
    routingKey: typeof routingKey === 'string' ? routingKey : message.fields.routingKey,
  };
}
