import type { ConfirmChannel, GetMessage } from 'amqplib';
import { withTimeout } from './withTimeout';

/** The state queue beside the lease queue: the newest message says which tick each schedule last reached. */
export const tickLogArguments = { 'x-queue-type': 'quorum', 'x-max-length': 1, 'x-overflow': 'drop-head' } as const;

/** Schedule name → the newest tick it reached (fired, or skipped by its catch-up policy), ISO. @internal */
export type Cursors = Record<string, string>;

const MAX_READ = 10;

/**
 * Where the leaders keep their cursors, so a new leader (or one starting after every scheduler was down) knows
 * which ticks were missed: a quorum queue of length 1 (drop-head) holding the newest cursors, written with a
 * confirm after each tick on the lease's own connection (a leader that lost it cannot write).
 * @internal
 */
export class TickLog {
  constructor(private readonly queue: string) {}

  async declare(channel: ConfirmChannel, timeoutMs: number): Promise<void> {
    await withTimeout(channel.assertQueue(this.queue, { durable: true, arguments: tickLogArguments }), timeoutMs);
  }

  /** The cursors: the newest per schedule over every message in the queue (each one read and put back). */
  async read(channel: ConfirmChannel, timeoutMs: number): Promise<Cursors> {
    const seen: GetMessage[] = [];
    for (let i = 0; i < MAX_READ; i += 1) {
      const message = await withTimeout(channel.get(this.queue, { noAck: false }), timeoutMs);
      if (message === false) break;
      seen.push(message);
    }
    for (const message of seen) channel.nack(message, false, true);
    return seen.reduce<Cursors>((merged, message) => newest(merged, parse(message.content)), {});
  }

  /** Bounded: a silent connection must not hold up the next tick (the lease's fence deals with it). */
  async write(channel: ConfirmChannel, cursors: Cursors, timeoutMs: number): Promise<void> {
    const written = new Promise<void>((resolve, reject) => {
      channel.sendToQueue(this.queue, Buffer.from(JSON.stringify(cursors)), { persistent: true }, (error) =>
        error ? reject(new Error('the broker refused the tick log write')) : resolve(),
      );
    });
    await withTimeout(written, timeoutMs);
  }
}

function parse(content: Buffer): Cursors {
  try {
    const value = JSON.parse(content.toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null) return {};
    return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Cursors;
  } catch {
    return {};
  }
}

/** ISO strings of the same format compare in time order. */
export function newest(a: Cursors, b: Cursors): Cursors {
  const merged = { ...a };
  for (const [name, tick] of Object.entries(b))
    if (merged[name] === undefined || tick > merged[name]!) merged[name] = tick;
  return merged;
}
