import { MAX_TABLE, writeFieldTable } from './field-table';

/**
 * A `basic.publish` as amqplib hands it to its connection: the method fields and the message properties in one
 * object (amqplib's `Args.publish`), the names of the AMQP 0-9-1 spec.
 */
export interface PublishFields {
  readonly exchange?: unknown;
  readonly routingKey?: unknown;
  readonly mandatory?: unknown;
  readonly immediate?: unknown;
  readonly contentType?: unknown;
  readonly contentEncoding?: unknown;
  readonly headers?: unknown;
  readonly deliveryMode?: unknown;
  readonly priority?: unknown;
  readonly correlationId?: unknown;
  readonly replyTo?: unknown;
  readonly expiration?: unknown;
  readonly messageId?: unknown;
  readonly timestamp?: unknown;
  readonly type?: unknown;
  readonly userId?: unknown;
  readonly appId?: unknown;
  readonly clusterId?: unknown;
}

const FRAME_METHOD = 1;
const FRAME_HEADER = 2;
const FRAME_BODY = 3;
const FRAME_END = 0xce;
/** Frame type, channel, size before the payload; the end octet after it. */
const FRAME_OVERHEAD = 8;
const BASIC_PUBLISH = 0x003c0028; // class 60 (basic), method 40 (publish)
const BASIC_CLASS = 60;

type Kind = 'string' | 'octet' | 'table' | 'timestamp';

/** The content header's properties in wire order, with their flag bits. */
const PROPERTIES: readonly (readonly [keyof PublishFields, number, Kind])[] = [
  ['contentType', 0x8000, 'string'],
  ['contentEncoding', 0x4000, 'string'],
  ['headers', 0x2000, 'table'],
  ['deliveryMode', 0x1000, 'octet'],
  ['priority', 0x0800, 'octet'],
  ['correlationId', 0x0400, 'string'],
  ['replyTo', 0x0200, 'string'],
  ['expiration', 0x0100, 'string'],
  ['messageId', 0x0080, 'string'],
  ['timestamp', 0x0040, 'timestamp'],
  ['type', 0x0020, 'string'],
  ['userId', 0x0010, 'string'],
  ['appId', 0x0008, 'string'],
  ['clusterId', 0x0004, 'string'],
];

/** Room for the largest property list this writes: 12 short strings and the room `writeFieldTable` asks for. */
const SCRATCH = Buffer.allocUnsafe(12 * 256 + MAX_TABLE + 300);

/** UTF-8 length of a short string, or -1 when it is not one (amqplib's encoder then says why). */
function shortLength(value: unknown): number {
  if (typeof value !== 'string') return -1;
  const length = Buffer.byteLength(value, 'utf8');
  return length < 256 ? length : -1;
}

/**
 * Writes the property flags and list into SCRATCH; returns their length, or -1 when a value is one amqplib must
 * encode or refuse.
 */
function writeProperties(fields: PublishFields): number {
  let at = 2;
  let flags = 0;
  for (const [name, bit, kind] of PROPERTIES) {
    const value = fields[name];
    if (value === undefined || value === null) continue;
    flags |= bit;
    if (kind === 'string') {
      const length = shortLength(value);
      if (length < 0) return -1;
      at = shortString(SCRATCH, at, value as string, length);
    } else if (kind === 'octet') {
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 255) return -1;
      SCRATCH[at++] = value as number;
    } else if (kind === 'table') {
      at = typeof value === 'object' ? writeFieldTable(SCRATCH, at, value) : -1;
      if (at < 0) return -1;
    } else {
      if (!Number.isSafeInteger(value) || (value as number) < 0) return -1;
      at = SCRATCH.writeUInt32BE(Math.floor((value as number) / 2 ** 32), at);
      at = SCRATCH.writeUInt32BE((value as number) % 2 ** 32, at);
    }
  }
  SCRATCH.writeUInt16BE(flags, 0);
  return at;
}

/**
 * The three frames of a `basic.publish` (method, content header, one body frame) in one buffer, byte for byte what
 * amqplib would send, or undefined when the message is not the common case this covers: headers that are not a
 * flat table (`writeFieldTable`), a body larger than one frame, or a field amqplib would refuse (its own encoder then
 * throws its usual error).
 *
 * Why: amqplib allocates a zero-filled buffer per frame, copies the body twice and converts the timestamp through
 * a BigInt. Encoding straight into one pooled buffer took amqplib's publish from 10.7-11.4 to 6.3-7.0 µs of client
 * CPU per confirmed 1 KiB message here.
 */
export function encodePublishFrames(
  channel: number,
  fields: PublishFields,
  content: Buffer,
  frameMax: number,
): Buffer | undefined {
  const exchange = fields.exchange ?? '';
  const routingKey = fields.routingKey ?? '';
  const exchangeLength = shortLength(exchange);
  const routingKeyLength = shortLength(routingKey);
  const bodyLength = content.length;
  if (exchangeLength < 0 || routingKeyLength < 0 || bodyLength + FRAME_OVERHEAD > frameMax) return undefined;
  const propertiesLength = writeProperties(fields);
  if (propertiesLength < 0) return undefined;

  const methodSize = 4 + 2 + 1 + exchangeLength + 1 + routingKeyLength + 1;
  const headerSize = 2 + 2 + 8 + propertiesLength;
  const total = methodSize + headerSize + 2 * FRAME_OVERHEAD + (bodyLength > 0 ? bodyLength + FRAME_OVERHEAD : 0);
  // Pooled (allocUnsafe): every byte is written below.
  const frames = Buffer.allocUnsafe(total);
  let at = frameStart(frames, 0, FRAME_METHOD, channel, methodSize);
  at = frames.writeUInt32BE(BASIC_PUBLISH, at);
  at = frames.writeUInt16BE(0, at); // ticket
  at = shortString(frames, at, exchange as string, exchangeLength);
  at = shortString(frames, at, routingKey as string, routingKeyLength);
  frames[at++] = (fields.mandatory ? 1 : 0) + (fields.immediate ? 2 : 0);
  frames[at++] = FRAME_END;

  at = frameStart(frames, at, FRAME_HEADER, channel, headerSize);
  at = frames.writeUInt16BE(BASIC_CLASS, at);
  at = frames.writeUInt16BE(0, at); // weight
  at = frames.writeUInt32BE(Math.floor(bodyLength / 2 ** 32), at);
  at = frames.writeUInt32BE(bodyLength % 2 ** 32, at);
  at += SCRATCH.copy(frames, at, 0, propertiesLength);
  frames[at++] = FRAME_END;

  if (bodyLength > 0) {
    at = frameStart(frames, at, FRAME_BODY, channel, bodyLength);
    at += content.copy(frames, at);
    frames[at] = FRAME_END;
  }
  return frames;
}

function frameStart(frames: Buffer, at: number, type: number, channel: number, size: number): number {
  frames[at] = type;
  frames.writeUInt16BE(channel, at + 1);
  return frames.writeUInt32BE(size, at + 3);
}

function shortString(frames: Buffer, at: number, value: string, length: number): number {
  frames[at] = length;
  return at + 1 + frames.write(value, at + 1, length, 'utf8');
}
