import type { ArgumentValue, QueueType } from './desired';

/**
 * What Warren knows about x-arguments and policy keys: which take numbers (so `'1000'` and `1000` compare equal
 * and are sent as integers), which queue types honour them, and which ones Warren owns.
 */

/** Queue arguments and policy keys whose value is an integer. Both spellings: `x-max-length` and `max-length`. */
const INTEGER_KEYS = new Set(
  [
    'message-ttl',
    'expires',
    'max-length',
    'max-length-bytes',
    'delivery-limit',
    'max-priority',
    'quorum-initial-group-size',
    'quorum-target-group-size',
    'max-in-memory-length',
    'max-in-memory-bytes',
    'queue-version',
    'consumer-timeout',
    'initial-cluster-size',
    'stream-max-segment-size-bytes',
  ].flatMap((key) => [key, `x-${key}`]),
);

const BOOLEAN_KEYS = new Set(['x-single-active-consumer', 'single-active-consumer']);

/** The queue types that honour each known queue argument (RabbitMQ accepts and ignores the rest). */
const QUEUE_ARGUMENTS: Readonly<Record<string, readonly QueueType[]>> = {
  'x-queue-type': ['quorum', 'classic'],
  'x-message-ttl': ['quorum', 'classic'],
  'x-expires': ['quorum', 'classic'],
  'x-max-length': ['quorum', 'classic'],
  'x-max-length-bytes': ['quorum', 'classic'],
  'x-overflow': ['quorum', 'classic'],
  'x-dead-letter-exchange': ['quorum', 'classic'],
  'x-dead-letter-routing-key': ['quorum', 'classic'],
  'x-single-active-consumer': ['quorum', 'classic'],
  'x-queue-leader-locator': ['quorum', 'classic'],
  'x-consumer-timeout': ['quorum', 'classic'],
  'x-dead-letter-strategy': ['quorum'],
  'x-delivery-limit': ['quorum'],
  'x-quorum-initial-group-size': ['quorum'],
  'x-quorum-target-group-size': ['quorum'],
  'x-max-priority': ['classic'],
  'x-queue-mode': ['classic'],
  'x-queue-version': ['classic'],
  'x-queue-master-locator': ['classic'],
  // Stream-only: accepted on a quorum/classic queue and ignored.
  'x-max-age': [],
  'x-stream-max-segment-size-bytes': [],
  'x-initial-cluster-size': [],
};

const EXCHANGE_ARGUMENTS = new Set(['alternate-exchange']);

/** Set from `type`: a file must not set it. */
export const QUEUE_TYPE_ARGUMENT = 'x-queue-type';

/**
 * Set by Warren when the queue has its dead-letter exchange (`deadLetter: true`); with `deadLetter: false` a file
 * may set its own (e.g. to adopt an existing queue).
 */
export const DEAD_LETTER_ARGUMENTS: readonly string[] = ['x-dead-letter-exchange', 'x-dead-letter-routing-key'];

/**
 * Mutable settings: they belong in the policy (so they can change on a live queue), set through `limits`. As
 * x-arguments they are allowed (to match an existing queue) but linted.
 */
export const MUTABLE_QUEUE_ARGUMENTS: Readonly<Record<string, string>> = {
  'x-message-ttl': 'limits.messageTtl',
  'x-max-length': 'limits.maxLength',
  'x-max-length-bytes': 'limits.maxLengthBytes',
  'x-overflow': 'limits.overflow',
  'x-delivery-limit': 'limits.deliveryLimit',
  'x-dead-letter-strategy': 'limits.deadLetterStrategy',
};

/** @internal */
export const isIntegerKey = (key: string): boolean => INTEGER_KEYS.has(key);

/** The queue types that honour `key`, or undefined for an argument Warren does not know. @internal */
export const queueTypesFor = (key: string): readonly QueueType[] | undefined => QUEUE_ARGUMENTS[key];

/** @internal */
export const isKnownExchangeArgument = (key: string): boolean => EXCHANGE_ARGUMENTS.has(key);

/**
 * Arguments (or a policy definition) in the form RabbitMQ compares them: integer-valued keys as integers
 * (`'1000'` → `1000`), boolean keys as booleans (`'true'` → `true`), keys sorted. Use it on both sides before
 * comparing live and wanted arguments: a redeclare with `'1000'` where the queue has `1000` fails with the
 * puzzling "received '1000' but current is '1000'".
 *
 * Values that are neither strings, numbers nor booleans (rare in live arguments) become their JSON text.
 */
export function normaliseArguments(args: Readonly<Record<string, unknown>>): Record<string, ArgumentValue> {
  const out: Record<string, ArgumentValue> = {};
  for (const key of Object.keys(args).sort()) out[key] = normaliseValue(key, args[key]);
  return out;
}

function normaliseValue(key: string, value: unknown): ArgumentValue {
  if (INTEGER_KEYS.has(key) && typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  if (BOOLEAN_KEYS.has(key) && (value === 'true' || value === 'false')) return value === 'true';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value) ?? String(value);
}
