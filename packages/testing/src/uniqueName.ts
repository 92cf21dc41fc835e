import { randomBytes } from 'node:crypto';

/** Differs between test files and between runs, so parallel runs on one shared broker never collide. */
const runId = randomBytes(3).toString('hex');
let counter = 0;

/**
 * A name no other test (in this run, a parallel run, or a previous one) uses: `prefix-<run id>-<counter>`.
 * @example const queue = uniqueName('orders');  // 'orders-3f9a1c-1'
 */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${runId}-${counter}`;
}
