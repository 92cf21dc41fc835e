import { nextTicks, parseTopologyText, TopologyValidationError } from '../src';

function issuesOf(text: string): { path: string; message: string; line?: number }[] {
  try {
    parseTopologyText(text, 'topology.yaml');
  } catch (error) {
    if (error instanceof TopologyValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the topology to be invalid');
}

const HEADER = 'exchanges:\n  jobs: { type: topic }\nqueues:\n  work: {}\nschedules:\n';

describe('the schedules section', () => {
  it('parses a cron schedule and a fixed interval, with the defaults', () => {
    const topology = parseTopologyText(
      `${HEADER}  nightly: { cron: "0 3 * * *", timeZone: Europe/Berlin, exchange: jobs, routingKey: nightly }\n` +
        '  beat: { every: 5s, exchange: "", routingKey: work, payload: { kind: beat } }\n',
    );
    expect(topology.schedules!.nightly).toEqual({
      cron: '0 3 * * *',
      timeZone: 'Europe/Berlin',
      exchange: 'jobs',
      routingKey: 'nightly',
      catchUp: 'last',
      maxCatchUp: 10,
    });
    expect(topology.schedules!.beat).toMatchObject({ every: 5000, timeZone: 'UTC', payload: { kind: 'beat' } });
    expect(
      nextTicks(topology.schedules!.beat!, 2, new Date('2026-01-01T00:00:01Z')).map((d) => d.toISOString()),
    ).toEqual(['2026-01-01T00:00:05.000Z', '2026-01-01T00:00:10.000Z']);
  });

  it('an invalid cron expression fails with its path and line', () => {
    const issues = issuesOf(
      `${HEADER}  ok: { every: 1m, exchange: jobs }\n  broken:\n    cron: "61 * * * *"\n    exchange: jobs\n`,
    );
    expect(issues).toEqual([
      {
        path: 'schedules.broken.cron',
        line: 8,
        column: 5,
        message: expect.stringContaining('invalid cron expression "61 * * * *": Invalid value for minute: 61'),
      },
    ]);
  });

  it('checks the time zone, one timing, one target, the catch-up policy and unknown keys', () => {
    const issues = issuesOf(
      `${HEADER}  a: { cron: "* * * * *", timeZone: Mars/Olympus, exchange: jobs }\n` +
        '  b: { cron: "* * * * *", every: 1s, exchange: jobs, contract: job }\n' +
        '  c: { every: 500ms, exchange: jobs, catchUp: sometimes, timezone: UTC }\n',
    );
    expect(issues.map((i) => `${i.line} ${i.path}: ${i.message.split(':')[0]}`)).toEqual([
      '6 schedules.a.timeZone: unknown time zone "Mars/Olympus"',
      '7 schedules.b.every: give exactly one of `cron` (e.g. "0 3 * * *") and `every` (e.g. 30s)',
      '7 schedules.b.contract: give exactly one of `contract` and `exchange` (with `routingKey`)',
      '8 schedules.c.every: "500ms" is not a whole number of seconds (1s or more)',
      '8 schedules.c.catchUp: expected `catchUp`',
      '8 schedules.c.timezone: unknown key "timezone"; did you mean "timeZone"? (allowed here',
    ]);
  });

  it('the exchange must be declared; with the default exchange the routing key must be a queue of the file', () => {
    const issues = issuesOf(
      `${HEADER}  a: { every: 1m, exchange: jobz }\n  b: { every: 1m, exchange: "", routingKey: wrok }\n`,
    );
    expect(issues.map((i) => `${i.line} ${i.path}`)).toEqual(['6 schedules.a.exchange', '7 schedules.b.routingKey']);
    expect(issues[0]!.message).toContain('did you mean "jobs"');
    expect(issues[1]!.message).toContain('did you mean "work"');
  });
});
