import { randomBytes } from 'node:crypto';
import { managementUrlFor, splitUrls } from '@warren/core';
import { applyTopology, type ApplyProgress } from '../../src/live/apply';
import { deleteTopology } from '../../src/live/delete';
import { deriveTopology } from '../../src/model/derive';
import { parseTopology } from '../../src/file/parse';

// @warren/testing depends on this package, so this file talks to the broker directly (AMQP_URL or the local one).
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const managementUrl = process.env.AMQP_MANAGEMENT_URL ?? managementUrlFor(splitUrls(amqpUrl)[0] as string);
const target = { amqpUrl, managementUrl };
const run = `warren-progress-${randomBytes(3).toString('hex')}`;
const queues = Object.fromEntries(
  Array.from({ length: 20 }, (_, i) => [`${run}.q${i}`, { type: 'classic', deadLetter: false }]),
);
const desired = deriveTopology(parseTopology({ queues }));
jest.setTimeout(60_000);

afterAll(() => deleteTopology(desired, target));

describe('applyTopology with onProgress and a signal', () => {
  it('reports each change, stops when aborted, and a second apply finishes the work', async () => {
    const seen: ApplyProgress[] = [];
    const controller = new AbortController();
    const first = await applyTopology(desired, target, {
      onProgress: (progress) => {
        seen.push(progress);
        if (progress.done === 3) controller.abort();
      },
      signal: controller.signal,
    });
    expect(seen[0]).toEqual({ done: 1, total: 20 });
    expect(first.interrupted?.total).toBe(20);
    expect(first.interrupted?.done).toBeGreaterThanOrEqual(3);
    expect(first.interrupted?.done).toBeLessThan(20);

    const second = await applyTopology(desired, target);
    expect(second.interrupted).toBeUndefined();
    expect(second.counts.created).toBe(20 - (first.interrupted?.done ?? 0));
  });
});
