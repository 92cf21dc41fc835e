import { WarrenError } from './errors';

/**
 * Scheduled delivery without a plugin: a ladder of `DELAY_LEVELS` levels. Level n is a topic exchange and a quorum
 * queue of the same name, `warren.delay.level.NN`, whose fixed TTL is 2^n seconds. A scheduled message's routing key
 * spells its delay in binary, most significant bit first (`DELAY_LEVELS` words of `0`/`1`), then the destination
 * exchange (one word, see `exchangeWord`) and the original routing key. Level n's exchange sends a key whose bit n
 * is 1 to its queue (the message waits 2^n s, then is dead-lettered, key unchanged, to level n-1's exchange) and a
 * key whose bit n is 0 straight on to level n-1's exchange. After level 0 comes `DELAY_DELIVERY_EXCHANGE`, a topic
 * exchange bound to each destination queue with the destination's binding prefixed by `*` words and the exchange
 * word. The shared naming and arithmetic live here: the topology declares the ladder, the publisher routes into it.
 */

/** Levels 0..21: the longest delay is 2^22 - 1 s (48 days 13 h 5 min 3 s), inside x-message-ttl's 32 bits of ms. */
export const DELAY_LEVELS = 22;
/** The longest delay the ladder can hold, in milliseconds (4,194,303 s, about 48.5 days). */
export const MAX_DELAY_MS = (2 ** DELAY_LEVELS - 1) * 1000;
/** The topic exchange after level 0: it delivers to the destination queues. */
export const DELAY_DELIVERY_EXCHANGE = 'warren.delay.deliver';
/** RabbitMQ's limit on a routing key (a short string). */
const MAX_ROUTING_KEY_BYTES = 255;

/** `warren.delay.level.07`: the exchange and the queue of level `n` share the name. */
export const delayLevelName = (level: number): string => `warren.delay.level.${String(level).padStart(2, '0')}`;

/** Where level `n` sends what it passes on or has held: the next level down, or the delivery exchange. */
export const nextDelayHop = (level: number): string =>
  level === 0 ? DELAY_DELIVERY_EXCHANGE : delayLevelName(level - 1);

/** Level n's binding patterns: its bit is word `DELAY_LEVELS - 1 - n` of the key. */
export function levelPattern(level: number, bit: 0 | 1): string {
  return [...Array<string>(DELAY_LEVELS - 1 - level).fill('*'), String(bit), '#'].join('.');
}

/**
 * The destination exchange as one topic word: `.`, `%`, `*` and `#` percent-encoded, so a dot in a name cannot
 * shift the routing key's words and `*`/`#` stay literal. The default exchange is `amq%2Edefault` (the name
 * RabbitMQ gives it; no exchange of that name can be declared).
 */
export function exchangeWord(exchange: string): string {
  const name = exchange === '' ? 'amq.default' : exchange;
  return name.replace(/[%.*#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The delivery exchange's binding for a destination binding `bindingKey` of `exchange` (topic syntax). */
export function deliveryPattern(exchange: string, bindingKey: string): string {
  return [...Array<string>(DELAY_LEVELS).fill('*'), exchangeWord(exchange), bindingKey].join('.');
}

/** The delay, or the moment, a message is scheduled for, or why it cannot be. Code `INVALID_DELAY`. */
export class InvalidDelayError extends WarrenError {
  /** The longest delay the ladder holds, in milliseconds (`MAX_DELAY_MS`). */
  readonly maxDelayMs = MAX_DELAY_MS;

  constructor(message: string) {
    super('INVALID_DELAY', message);
  }
}

/** Where a scheduled message is published: the ladder's entry exchange and the key that spells its delay. */
export interface DelayRoute {
  /** Whole seconds the message will wait (the delay rounded up: never early). */
  readonly seconds: number;
  readonly exchange: string;
  readonly routingKey: string;
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DELAY_HELP = 'a number of milliseconds, or a string like 500ms, 90s, 15m, 2h, 30d';

/** `'90s'`, `'15m'`, `'2h'`, `'30d'`, `'1.5h'`, `'500ms'` or a number of ms → milliseconds. @throws InvalidDelayError */
export function parseDelayOption(delay: string | number): number {
  const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(delay.trim()) : null;
  const ms = typeof delay === 'number' ? delay : match ? Number(match[1]) * (UNITS[match[2] ?? ''] ?? NaN) : NaN;
  if (!Number.isFinite(ms) || ms < 0)
    throw new InvalidDelayError(`delay ${JSON.stringify(delay)} is not ${DELAY_HELP}.`);
  return ms;
}

/**
 * The route of a message due `delayMs` from now, or undefined when it is due now (0, or a past `notBefore`).
 * @throws InvalidDelayError when the delay passes `MAX_DELAY_MS`, or the key would pass 255 bytes.
 */
export function delayRoute(delayMs: number, exchange: string, routingKey: string): DelayRoute | undefined {
  if (!(delayMs > 0)) return undefined;
  const seconds = Math.ceil(delayMs / 1000);
  if (seconds > MAX_DELAY_MS / 1000) {
    throw new InvalidDelayError(
      `A delay of ${delayMs} ms is longer than the delay ladder's maximum of ${MAX_DELAY_MS} ms ` +
        `(${MAX_DELAY_MS / 1000} s, about 48.5 days). Schedule it in two steps, or keep it in your own store.`,
    );
  }
  const bits = seconds.toString(2).padStart(DELAY_LEVELS, '0');
  const key = [...bits, exchangeWord(exchange), routingKey].join('.');
  if (Buffer.byteLength(key) > MAX_ROUTING_KEY_BYTES) {
    throw new InvalidDelayError(
      `A scheduled message's routing key (${DELAY_LEVELS} delay words, the exchange and the key) would be ` +
        `${Buffer.byteLength(key)} bytes; RabbitMQ allows ${MAX_ROUTING_KEY_BYTES}. Shorten the exchange name or key.`,
    );
  }
  // Enter at the highest level with a 1 bit: the levels above would only pass the message on.
  return { seconds, exchange: delayLevelName(DELAY_LEVELS - 1 - bits.indexOf('1')), routingKey: key };
}
