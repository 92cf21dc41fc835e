import { Ledger } from '../src';

const code = (c: string) => Object.assign(new Error(c), { code: c });

describe('Ledger', () => {
  it('passes a clean run: everything confirmed consumed once, drained', () => {
    const ledger = new Ledger();
    for (const id of ['a', 'b', 'c']) {
      ledger.sent(id);
      ledger.confirmed(id);
      ledger.consumed(id);
    }
    expect(ledger.verdict({ drained: true })).toMatchObject({
      sent: 3,
      confirmed: 3,
      consumed: 3,
      lost: [],
      unexpected: [],
      duplicates: 0,
      duplicatesPct: 0,
      ok: true,
    });
  });

  it('reports a confirmed id never consumed as lost, and an unconfirmed one as not lost', () => {
    const ledger = new Ledger();
    ledger.sent('a');
    ledger.confirmed('a');
    ledger.sent('b'); // still unsettled: not lost
    expect(ledger.outstanding()).toBe(1);
    expect(ledger.unsettled()).toBe(1);
    const verdict = ledger.verdict({ drained: true });
    expect(verdict.lost).toEqual(['a']);
    expect(verdict.ok).toBe(false);
  });

  it('counts a parked id as accounted for', () => {
    const ledger = new Ledger();
    ledger.sent('a');
    ledger.confirmed('a');
    ledger.parked('a');
    expect(ledger.outstanding()).toBe(0);
    expect(ledger.verdict({ drained: true })).toMatchObject({ lost: [], parked: 1, consumed: 1, ok: true });
  });

  it('counts duplicates over every id, in percent of distinct ids, and judges them against the bound', () => {
    const ledger = new Ledger();
    for (const id of ['a', 'b', 'c', 'd']) {
      ledger.sent(id);
      ledger.confirmed(id);
      ledger.consumed(id);
    }
    ledger.consumed('a');
    ledger.consumed('a');
    ledger.consumed('b');
    expect(ledger.consumedCount('a')).toBe(3);
    expect(ledger.verdict({ drained: true, duplicateBound: 3 })).toMatchObject({
      duplicates: 3,
      duplicatesPct: 75,
      duplicateBound: 3,
      ok: true,
    });
    expect(ledger.verdict({ drained: true, duplicateBound: 2 }).ok).toBe(false);
  });

  it('tallies failures by code; an indeterminate one may arrive, a definite one may not', () => {
    const ledger = new Ledger();
    for (const id of ['t1', 't2', 'f1', 'x']) ledger.sent(id);
    ledger.failed('t1', code('PUBLISH_TIMEOUT'));
    ledger.failed('t2', code('PUBLISH_TIMEOUT'));
    ledger.failed('f1', code('BUFFER_FULL'));
    ledger.failed('x', new Error('no code'));
    ledger.consumed('t1'); // a timed-out publish that arrived anyway: allowed
    const verdict = ledger.verdict({ drained: true });
    expect(verdict.failed).toEqual({ PUBLISH_TIMEOUT: 2, BUFFER_FULL: 1, UNKNOWN: 1 });
    expect(verdict.indeterminate).toBe(2);
    expect(verdict.failureSamples).toEqual({
      PUBLISH_TIMEOUT: 'PUBLISH_TIMEOUT',
      BUFFER_FULL: 'BUFFER_FULL',
      UNKNOWN: 'no code',
    });
    expect(verdict).toMatchObject({ unexpected: [], ok: true });
    expect(ledger.unsettled()).toBe(0);

    ledger.consumed('f1'); // refused at once, yet delivered: a bug
    ledger.consumed('never-sent');
    expect(ledger.verdict({ drained: true }).unexpected).toEqual(['f1', 'never-sent']);
  });

  it('takes the indeterminate codes it is given', () => {
    const ledger = new Ledger(['PUBLISH_TIMEOUT', 'PUBLISHER_CLOSED']);
    ledger.sent('a');
    ledger.failed('a', code('PUBLISHER_CLOSED'));
    ledger.consumed('a');
    expect(ledger.verdict({ drained: true })).toMatchObject({ indeterminate: 1, unexpected: [], ok: true });
  });

  it('fails on an undrained queue or an unhandled failure', () => {
    const ledger = new Ledger();
    expect(ledger.verdict({ drained: false }).ok).toBe(false);
    ledger.unhandled('unhandledRejection: boom');
    const verdict = ledger.verdict({ drained: true });
    expect(verdict.unhandled).toEqual(['unhandledRejection: boom']);
    expect(verdict.ok).toBe(false);
  });
});
