/**
 * AMQP field tables (message headers) as amqplib encodes them, for the flat tables publishes carry: string, boolean,
 * number and null values. Anything else (nested tables, arrays, Buffers, `{ '!': type }` values, numbers amqplib
 * would refuse) is left to amqplib: `writeFieldTable` returns -1.
 */

/** Past this amqplib refuses a table (its 64 KiB scratch buffer); leave such tables to it, to refuse them its way. */
export const MAX_TABLE = 60_000;

/** amqplib's choice for a number that is not an integer it can encode. */
const isDouble = (n: number): boolean => Number.isFinite(n) && !Number.isInteger(n) && Math.abs(n) < 2 ** 50;

/**
 * Writes a table (its 4-byte length first) in one pass; returns the offset after it, or -1 when amqplib must encode
 * it: a value this does not cover, a key over 255 bytes, or a table over `MAX_TABLE` bytes. `out` needs
 * `MAX_TABLE` + 300 bytes of room from `at`; what was written before a -1 is garbage.
 */
export function writeFieldTable(out: Buffer, at: number, table: object): number {
  const start = at;
  const end = start + MAX_TABLE;
  at += 4;
  // for...in, as amqplib: the keys on the prototype chain count too, in its order.
  const source = callersTable(table) as Record<string, unknown>;
  for (const key in source) {
    const value = source[key];
    if (value === undefined) continue;
    // A UTF-16 unit is at most 3 UTF-8 bytes: a key of 85 units fits in a short string without measuring it.
    if (key.length > 85 && Buffer.byteLength(key, 'utf8') > 255) return -1;
    const keyLength = out.write(key, at + 1, 'utf8');
    out[at] = keyLength;
    at = writeValue(out, at + 1 + keyLength, value, end);
    if (at < 0 || at > end) return -1;
  }
  out.writeUInt32BE(at - start - 4, start);
  return at;
}

/**
 * amqplib's `Args.publish` hands the headers on as `Object.create(options.headers)`, with own keys only for CC and
 * BCC. for...in over such an object walks the chain the slow way (about 5 µs for the seven headers of a retry);
 * when it has no own keys, the caller's object enumerates exactly the same keys, in the same order, at a fraction.
 */
function callersTable(table: object): object {
  const caller: unknown = Object.getPrototypeOf(table);
  if (caller === null || caller === Object.prototype) return table;
  return Object.getOwnPropertyNames(table).length === 0 ? (caller as object) : table;
}

/** Writes one value (its type tag first); -1 for a value amqplib must encode, or a string that cannot fit. */
function writeValue(out: Buffer, at: number, value: unknown, end: number): number {
  switch (typeof value) {
    case 'string': {
      // Measured only when it might not fit: the bound (3 bytes a unit) is exact enough for short strings.
      if (at + 5 + 3 * value.length > end && at + 5 + Buffer.byteLength(value, 'utf8') > end) return -1;
      const length = out.write(value, at + 5, 'utf8');
      out.writeUInt32BE(length, tag(out, at, 'S'));
      return at + 5 + length;
    }
    case 'boolean':
      out[tag(out, at, 't')] = value ? 1 : 0;
      return at + 2;
    case 'number':
      if (isDouble(value)) return out.writeDoubleBE(value, tag(out, at, 'd'));
      if (!Number.isSafeInteger(value)) return -1;
      if (value >= -0x80 && value < 0x80) return out.writeInt8(value, tag(out, at, 'b'));
      if (value >= -0x8000 && value < 0x8000) return out.writeInt16BE(value, tag(out, at, 's'));
      if (value >= -0x80000000 && value < 0x80000000) return out.writeInt32BE(value, tag(out, at, 'I'));
      return out.writeBigInt64BE(BigInt(value), tag(out, at, 'l'));
    case 'object':
      return value === null ? tag(out, at, 'V') : -1;
    default:
      return -1;
  }
}

function tag(out: Buffer, at: number, type: string): number {
  out[at] = type.charCodeAt(0);
  return at + 1;
}
