import { randomFillSync } from 'node:crypto';

const ID_BYTES = 16;
const pool = Buffer.allocUnsafe(ID_BYTES * 256);
let offset = pool.length;

/**
 * A random 128-bit message id as 22 base64url characters (a UUID carries 122 random bits in 36).
 *
 * Short on purpose: RabbitMQ handles messages with small properties markedly faster (measured, not explained). On 3.10
 * with a classic queue, 1 KiB persistent messages with Warren's properties (content type, timestamp, mandatory):
 * 19,500-20,200 msg/s with a 22-character id, 15,700-16,300 with a 36-character UUID (plain: 20,800-21,600).
 * Random bytes come from a pool filled 256 ids at a time, so an id costs no system call.
 */
export function newMessageId(): string {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
