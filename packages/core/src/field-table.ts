/**
 * AMQP field tables (message headers) as amqplib encodes them, for the flat tables publishes carry: string, boolean,
 * number and null values. Anything else (nested tables, arrays, Buffers, `{ '!': type }` values, numbers amqplib
 * would refuse) is left to amqplib: `fieldTableSize` returns -1.
 */

/** Past this amqplib refuses a table (its 64 KiB scratch buffer); leave such tables to it, to refuse them its way. */
const MAX_TABLE = 60_000;

/** amqplib's choice for a number that is not an integer it can encode. */
const isDouble = (n: number): boolean => Number.isFinite(n) && !Number.isInteger(n) && Math.abs(n) < 2 ** 50;

function valueSize(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 1 + 4 + Buffer.byteLength(value, 'utf8');
    case 'boolean':
      return 2;
    case 'number':
      if (isDouble(value)) return 9;
      if (!Number.isSafeInteger(value)) return -1;
      if (value >= -0x80 && value < 0x80) return 2;
      if (value >= -0x8000 && value < 0x8000) return 3;
      return value >= -0x80000000 && value < 0x80000000 ? 5 : 9;
    case 'object':
      return value === null ? 1 : -1;
    default:
      return -1;
  }
}

/** Encoded size of a table (its 4-byte length included), or -1 when amqplib must encode it. */
export function fieldTableSize(table: object): number {
  let size = 4;
  // for...in, as amqplib: the keys amqplib's `Args.publish` puts on the prototype chain count too, in its order.
  for (const key in table) {
    const value = (table as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const keyLength = Buffer.byteLength(key, 'utf8');
    const length = valueSize(value);
    if (keyLength > 255 || length < 0) return -1;
    size += 1 + keyLength + length;
    if (size > MAX_TABLE) return -1;
  }
  return size;
}

/** Writes a table `fieldTableSize` accepted; returns the offset after it. */
export function writeFieldTable(out: Buffer, at: number, table: object): number {
  const start = at;
  at += 4;
  for (const key in table) {
    const value = (table as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const keyLength = out.write(key, at + 1, 'utf8');
    out[at] = keyLength;
    at += 1 + keyLength;
    at = writeValue(out, at, value as string | boolean | number | null);
  }
  out.writeUInt32BE(at - start - 4, start);
  return at;
}

function writeValue(out: Buffer, at: number, value: string | boolean | number | null): number {
  if (value === null) return tag(out, at, 'V');
  if (typeof value === 'string') {
    const length = out.write(value, at + 5, 'utf8');
    out.writeUInt32BE(length, tag(out, at, 'S'));
    return at + 5 + length;
  }
  if (typeof value === 'boolean') {
    out[tag(out, at, 't')] = value ? 1 : 0;
    return at + 2;
  }
  if (isDouble(value)) return out.writeDoubleBE(value, tag(out, at, 'd'));
  if (value >= -0x80 && value < 0x80) return out.writeInt8(value, tag(out, at, 'b'));
  if (value >= -0x8000 && value < 0x8000) return out.writeInt16BE(value, tag(out, at, 's'));
  if (value >= -0x80000000 && value < 0x80000000) return out.writeInt32BE(value, tag(out, at, 'I'));
  return out.writeBigInt64BE(BigInt(value), tag(out, at, 'l'));
}

function tag(out: Buffer, at: number, type: string): number {
  out[at] = type.charCodeAt(0);
  return at + 1;
}
