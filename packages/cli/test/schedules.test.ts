import { fixture, run } from './run';

/** Nothing listens here: a command that reached the broker would fail with "unreachable". */
const NOWHERE = ['--url', 'amqp://ops:s3cret@127.0.0.1:1', '--management-url', 'http://ops:s3cret@127.0.0.1:1'];

describe('schedules in validate and schedules', () => {
  it('validate shows the next ticks of each schedule', async () => {
    const { code, stdout } = await run(['validate', fixture('schedules.yaml')]);
    expect(code).toBe(0);
    expect(stdout).toContain('nightly: cron "0 3 * * *" Europe/Berlin → exchange "jobs", routing key "nightly"');
    expect(stdout).toMatch(/beat: every 5s .*\n {4}next: \d{4}-\d\d-\d\dT\d\d:\d\d:\d[05]\.000Z, /);
    // 03:00 in Berlin is 02:00Z (CET) in winter or 01:00Z (CEST) in summer.
    expect(stdout).toMatch(/next: \d{4}-\d\d-\d\dT0[12]:00:00\.000Z/);
  });

  it('validate --json lists the schedules with their next ticks', async () => {
    const { code, stdout } = await run(['validate', fixture('schedules.yaml'), '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { schedules: { name: string; next: string[] }[] };
    expect(result.schedules.map((s) => [s.name, s.next.length])).toEqual([
      ['nightly', 3],
      ['beat', 3],
    ]);
  });

  it('an invalid cron expression fails validate with its path and line', async () => {
    const { code, stderr } = await run(['validate', fixture('bad-cron.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain('line 5: schedules.nightly.cron: invalid cron expression "0 25 * * *"');
  });

  it('schedules needs the management API, and says so without the password', async () => {
    const { code, stderr } = await run(['schedules', fixture('schedules.yaml'), ...NOWHERE, '--timeout', '1']);
    expect(code).toBe(1);
    expect(stderr).toContain('Cannot reach the RabbitMQ management API');
    expect(stderr).not.toContain('s3cret');
  });
});
