/** What the sections of the publish bench share: one run id, so every queue a run declares is named after it. */
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const run = `${process.pid}-${Date.now().toString(36)}`;

export function fmt(n: number, digits: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
