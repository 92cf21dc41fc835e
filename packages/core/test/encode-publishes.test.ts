import { dirname, join } from 'node:path';
import { encodePublishes } from '../src/encode-publishes';

// amqplib's own encoder, the reference: its internals are not exported, so they are loaded by path.
const lib = join(dirname(require.resolve('amqplib')), 'lib');
/* eslint-disable @typescript-eslint/no-require-imports */
const { Connection } = require(join(lib, 'connection.js')) as {
  Connection: { prototype: { sendMessage: Send; sendContent: unknown } };
};
const Args = require(join(lib, 'api_args.js')) as { publish(e: string, r: string, o?: object): object };
const defs = require(join(lib, 'defs.js')) as { BasicPublish: number; BasicProperties: number };
/* eslint-enable @typescript-eslint/no-require-imports */

type Send = (ch: number, method: number, fields: object, props: number, p: object, content: unknown) => boolean;

/** A stand-in for amqplib's Connection: channel 5's outgoing buffer records what is written. */
function fakeConnection(frameMax = 131_072) {
  const written: Buffer[] = [];
  let amqplibCalls = 0;
  const buffer = {
    writable: true,
    writableNeedDrain: false,
    write: (chunk: Buffer) => written.push(Buffer.from(chunk)) > 0,
  };
  const connection = {
    frameMax,
    sentSinceLastCheck: false,
    channels: [] as unknown[],
    sendMessage(this: unknown, ...args: Parameters<Send>): boolean {
      amqplibCalls++;
      return Connection.prototype.sendMessage.apply(this, args);
    },
    sendContent: Connection.prototype.sendContent,
    /** A method (ack, close, ...): recorded as the bytes of its name. */
    sendMethod: (_channel: number, method: string) => written.push(Buffer.from(method)) > 0,
  };
  connection.channels[5] = { buffer };
  const publish = (exchange: string, routingKey: string, options: object | undefined, body: unknown): boolean => {
    const fields = Args.publish(exchange, routingKey, options);
    return connection.sendMessage(5, defs.BasicPublish, fields, defs.BasicProperties, fields, body);
  };
  /** Publishes one message and returns every byte written by the end of the turn. */
  const send = async (exchange: string, routingKey: string, options: object | undefined, body: unknown) => {
    publish(exchange, routingKey, options, body);
    await endOfTurn();
    return Buffer.concat(written.splice(0));
  };
  return { connection, buffer, written, publish, send, amqplibCalls: () => amqplibCalls };
}

const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));

const WARREN_DEFAULTS = {
  mandatory: true,
  persistent: true,
  contentType: 'application/json',
  messageId: 'AbCdEfGhIjKlMnOpQrStUv',
  timestamp: 1_764_000_000,
};
const EVERY_PROPERTY = {
  ...WARREN_DEFAULTS,
  contentEncoding: 'identity',
  priority: 9,
  correlationId: 'corr-1',
  replyTo: 'amq.rabbitmq.reply-to',
  expiration: 60_000,
  type: 'order.created',
  userId: 'guest',
  appId: 'warren-test',
};

/** Own keys beside the inherited ones: `shadowed` hides the prototype's. */
const OWN_KEYS = { own: { value: true, enumerable: true }, shadowed: { value: 2, enumerable: true } };

/** A headers table of one string value whose encoding is `bytes` long (its 4-byte length included). */
function tableOfBytes(bytes: number, char = 'x'): Record<string, string> {
  const overhead = 4 + 1 + 1 + 1 + 4; // table length, key length, key 'k', type 'S', string length
  const valueBytes = bytes - overhead;
  const width = Buffer.byteLength(char);
  return { k: char.repeat(Math.floor(valueBytes / width)) + 'x'.repeat(valueBytes % width) };
}

async function bothWays(options: object | undefined, body: unknown, frameMax?: number) {
  const reference = fakeConnection(frameMax);
  const warren = fakeConnection(frameMax);
  expect(encodePublishes({ connection: warren.connection })).toBe(true);
  const outcome = async (f: ReturnType<typeof fakeConnection>) => {
    try {
      return { bytes: await f.send('orders', 'order.créé', options, body) };
    } catch (error) {
      return { error: `${(error as Error).name}: ${(error as Error).message}` };
    }
  };
  return { expected: await outcome(reference), actual: await outcome(warren), viaAmqplib: warren.amqplibCalls() > 0 };
}

/** amqplib's bytes for `count` 1 KiB publishes, one after the other. */
async function amqplibBytes(count: number, options: object = WARREN_DEFAULTS): Promise<Buffer> {
  const reference = fakeConnection();
  for (let i = 0; i < count; i++) reference.publish('', `q${i}`, options, Buffer.alloc(1024, i));
  await endOfTurn();
  return Buffer.concat(reference.written.splice(0));
}

describe('encodePublishes', () => {
  const bodies = { empty: Buffer.alloc(0), small: Buffer.from('{"a":1}'), '1 KiB': Buffer.alloc(1024, 0x61) };

  it.each([
    ['no options', undefined],
    ["Warren's defaults", WARREN_DEFAULTS],
    ['every property', EVERY_PROPERTY],
    ['transient, timestamp 0, non-ASCII id', { persistent: false, timestamp: 0, messageId: 'idé✓' }],
    ['a 64-bit timestamp above 2^32', { timestamp: 2 ** 40 + 7 }],
    ['an empty headers object', { headers: {} }],
    ['headers whose values are all undefined', { headers: { a: undefined } }],
    [
      'a flat headers table of every kind of value',
      {
        ...WARREN_DEFAULTS,
        headers: {
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
          'x-warren-attempt': 2,
          'x-warren-error': 'Error: boom ✗',
          flag: true,
          off: false,
          none: null,
          skipped: undefined,
          byte: -128,
          short: 0x7fff,
          int: -0x80000000,
          long: 2 ** 53 - 1,
          negativeLong: -(2 ** 40),
          double: 0.1,
          '': 'empty key',
        },
      },
    ],
    // amqplib enumerates the whole prototype chain of the headers (for...in); so does this, through the shortcut.
    ['headers with inherited keys', { headers: Object.create({ inherited: 'x', shadowed: 1 }, OWN_KEYS) }],
    ['headers without a prototype', { headers: Object.assign(Object.create(null), { a: 'b', n: 7 }) }],
    ['a key of 85 units (255 bytes of UTF-8)', { headers: { ['✓'.repeat(85)]: 1 } }],
    ['a table of exactly 60,000 bytes', { headers: tableOfBytes(60_000) }],
    ['a table of 60,000 bytes in 2-byte characters', { headers: tableOfBytes(60_000, 'é') }],
  ])('sends the bytes amqplib sends, without amqplib: %s', async (_name, options) => {
    // 3,000 bytes: amqplib writes the body in a buffer of its own, this in one with the frames before it.
    for (const body of [...Object.values(bodies), Buffer.alloc(3000, 2)]) {
      const { expected, actual, viaAmqplib } = await bothWays(options, body);
      expect(actual).toEqual(expected);
      expect(expected.bytes).toBeDefined();
      expect(viaAmqplib).toBe(false);
    }
  });

  it.each([
    ['a nested table', { ...WARREN_DEFAULTS, headers: { nested: { a: 1 } } }, bodies.small, undefined],
    ['an array', { headers: { list: [1, 'two'] } }, bodies.small, undefined],
    ['CC (amqplib puts an array in the headers)', { CC: ['a', 'b'], headers: { h: 1 } }, bodies.small, undefined],
    ['a Buffer', { headers: { bytes: Buffer.from('ab') } }, bodies.small, undefined],
    ["a typed value ('!')", { headers: { at: { '!': 'timestamp', value: 1 } } }, bodies.small, undefined],
    ['a big integer beyond 2^53', { headers: { big: 2 ** 60 } }, bodies.small, undefined],
    ['a float amqplib sends as a double', { headers: { inf: Infinity } }, bodies.small, undefined],
    ['a table of 62 KB', { headers: { a: 'x'.repeat(35_000), b: 'y'.repeat(27_000) } }, bodies.small, undefined],
    ['a table of 60,001 bytes', { headers: tableOfBytes(60_001) }, bodies.small, undefined],
    ['a table of 60,002 bytes in 2-byte characters', { headers: tableOfBytes(60_002, 'é') }, bodies.small, undefined],
    ['a body over one frame', WARREN_DEFAULTS, Buffer.alloc(10_000, 1), 4096],
  ])('leaves the rest to amqplib, with the same bytes: %s', async (_name, options, body, frameMax) => {
    const { expected, actual } = await bothWays(options, body, frameMax);
    expect(actual).toEqual(expected);
    expect(expected.bytes).toBeDefined();
  });

  it.each([
    ['a priority over 255', { priority: 300 }],
    ['a fractional timestamp', { timestamp: 1.5 }],
    ['a negative timestamp', { timestamp: -1 }],
    ['a number as message id', { messageId: 42 }],
    ['a content type of 256 bytes', { contentType: 'x'.repeat(256) }],
    ['headers over 64 KiB', { headers: { a: 'x'.repeat(70_000) } }],
    ['a header name of 256 bytes', { headers: { ['k'.repeat(256)]: 1 } }],
    ['a header name of 128 two-byte characters', { headers: { ['é'.repeat(128)]: 1 } }],
    ['-Infinity in the headers', { headers: { a: -Infinity } }],
  ])('refuses what amqplib refuses, with its error: %s', async (_name, options) => {
    const { expected, actual, viaAmqplib } = await bothWays(options, bodies.small);
    expect(expected.error).toBeDefined();
    expect(actual).toEqual(expected);
    expect(viaAmqplib).toBe(true);
  });

  it('matches amqplib on 2,000 random mixes of properties', async () => {
    let seed = 42;
    // The high bits: an LCG's low bits repeat with a short period.
    const random = (n: number): number =>
      Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);
    const values: Record<string, unknown[]> = {
      ...Object.fromEntries(Object.entries(EVERY_PROPERTY).map(([k, v]) => [k, [undefined, v]])),
      persistent: [undefined, true, false],
      mandatory: [undefined, true, false],
      priority: [undefined, 0, 255],
      timestamp: [undefined, 0, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER],
      messageId: [undefined, '', 'é'.repeat(127)],
      headers: [undefined, {}, { a: 'b' }, { n: 300, f: 2.5, t: true, z: null, big: 2 ** 33, neg: -70_000 }],
    };
    for (let i = 0; i < 2000; i++) {
      const options = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v[random(v.length)]]));
      const body = Buffer.alloc(random(3) * 700, i % 256);
      const { expected, actual } = await bothWays(options, body);
      // Buffer.equals first: toEqual on every pair would take seconds.
      if (!(expected.bytes && actual.bytes?.equals(expected.bytes))) expect(actual).toEqual(expected);
    }
  });

  it('refuses a body that is not a Buffer as amqplib does', async () => {
    const { expected, actual } = await bothWays(WARREN_DEFAULTS, 'not a buffer');
    expect(expected.error).toMatch(/buffer/);
    expect(actual).toEqual(expected);
  });

  describe('one chunk per event-loop turn', () => {
    const patched = () => {
      const fake = fakeConnection();
      encodePublishes({ connection: fake.connection });
      return fake;
    };

    it("writes a turn's publishes as one chunk at its end, byte for byte amqplib's", async () => {
      const fake = patched();
      for (let i = 0; i < 3; i++) expect(fake.publish('', `q${i}`, WARREN_DEFAULTS, Buffer.alloc(1024, i))).toBe(true);
      expect(fake.written).toHaveLength(0);
      await endOfTurn();
      expect(fake.written).toHaveLength(1);
      expect(fake.written[0]).toEqual(await amqplibBytes(3));
    });

    it('writes the batch before a method sent in the same turn (an ack, a close)', async () => {
      const fake = patched();
      fake.publish('', 'q0', WARREN_DEFAULTS, Buffer.alloc(1024, 0));
      fake.connection.sendMethod(5, 'channel.close');
      expect(fake.written.map((chunk) => chunk.length)).toEqual([(await amqplibBytes(1)).length, 13]);
      expect(fake.written[1]!.toString()).toBe('channel.close');
    });

    it('writes the batch before a message amqplib encodes itself', async () => {
      const fake = patched();
      fake.publish('', 'q0', WARREN_DEFAULTS, Buffer.alloc(1024, 0));
      fake.publish('', 'q1', { headers: { nested: { a: 1 } } }, Buffer.alloc(1024, 1));
      await endOfTurn();
      const first = await amqplibBytes(1);
      expect(fake.written[0]).toEqual(first);
      expect(fake.amqplibCalls()).toBe(1);
    });

    it('writes at once past 64 KiB, so a burst holds no more than that', async () => {
      const fake = patched();
      for (let i = 0; i < 70; i++) fake.publish('', `q${i}`, WARREN_DEFAULTS, Buffer.alloc(1024, i));
      expect(fake.written).toHaveLength(1);
      expect(fake.written[0]!.length).toBeGreaterThanOrEqual(64 * 1024);
      await endOfTurn();
      expect(Buffer.concat(fake.written)).toEqual(await amqplibBytes(70));
    });

    it("passes on the channel's back pressure", () => {
      const fake = patched();
      fake.buffer.writableNeedDrain = true;
      expect(fake.publish('', 'q0', WARREN_DEFAULTS, Buffer.alloc(10))).toBe(false);
    });

    it('writes nothing to a channel whose buffer ended before the end of the turn', async () => {
      const fake = patched();
      fake.publish('', 'q0', WARREN_DEFAULTS, Buffer.alloc(10));
      fake.buffer.writable = false;
      await endOfTurn();
      expect(fake.written).toHaveLength(0);
    });
  });

  it('changes nothing on something that is not an amqplib connection', () => {
    expect(encodePublishes(undefined)).toBe(false);
    expect(encodePublishes({ connection: { sendMessage: 'no' } })).toBe(false);
  });
});
