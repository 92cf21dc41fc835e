import { newLoadCounts } from '../src/load';
import type { Depths } from '../src/queue-depths';
import { finalTable, summarize } from '../src/summary';

const queueNames = { work: 'q', deadLetter: 'q.dlq' };

function input(accepted: number, processed: number, depths: Partial<Depths>) {
  const load = newLoadCounts(accepted);
  for (let i = 0; i < accepted; i++) load.accepted.add(`p${i}`);
  const worker = {
    processed,
    retried: { 'q.retry.1s': 3 },
    deadLettered: depths.deadLetter ?? 0,
    inFlight: 0,
    reminders: [],
  };
  const full: Depths = { work: 0, retry: { 'q.retry.1s': 0 }, deadLetter: 0, returning: 0, ...depths };
  return {
    broker: 'amqp://guest:***@host',
    durationMs: 1_000,
    posts: accepted,
    load,
    worker,
    depths: full,
    queueNames,
  };
}

describe('the demo summary', () => {
  it('balances when every accepted post is processed, dead-lettered or still in a queue', () => {
    const summary = summarize(input(10, 6, { deadLetter: 2, work: 1, retry: { 'q.retry.1s': 0 }, returning: 1 }));
    expect(summary).toMatchObject({ accepted: 10, processed: 6, deadLettered: 2, stillQueued: 2, duplicates: 0 });
    expect(summary.balanced).toBe(true);
    expect(finalTable(summary)).toContain('OK: 10 accepted = 6 processed + 2 dead-lettered + 2 still queued');
  });

  it('reports a missing post as a mismatch', () => {
    const summary = summarize(input(10, 6, { deadLetter: 2, work: 1 }));
    expect(summary.balanced).toBe(false);
    expect(finalTable(summary)).toContain('MISMATCH: 10 accepted ≠ 6 processed + 2 dead-lettered + 1 still queued');
  });

  it('counts a post that is both processed and still queued as a duplicate, not as a loss', () => {
    const summary = summarize(input(10, 8, { deadLetter: 2, returning: 1 }));
    expect(summary).toMatchObject({ duplicates: 1, balanced: true });
    expect(finalTable(summary)).toContain('- 1 duplicate(s) (same messageId)');
  });
});
