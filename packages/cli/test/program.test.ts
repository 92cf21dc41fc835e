import { fixture, run } from './run';

/** Nothing listens here: a command that reached the broker would fail with "unreachable". */
const NOWHERE = ['--url', 'amqp://ops:s3cret@127.0.0.1:1', '--management-url', 'http://ops:s3cret@127.0.0.1:1'];

describe('help', () => {
  it('lists every command', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const command of ['validate', 'plan', 'apply', 'export', 'dlq', 'status', 'schedules', 'delete', 'completion'])
      expect(stdout).toContain(command);
    expect(stdout).toContain('Exit codes');
  });

  it.each([
    [['plan'], ['--detailed-exitcode', '--json', '--url', '--management-url', '--vhost', 'Exit codes']],
    [['apply'], ['--dry-run', '--json', '--url', '--management-url', '--vhost']],
    [['export'], ['--output', '--prefix', '--queue', '--url', '--management-url', '--vhost', '--timeout']],
    [['status'], ['<file>', '--watch', '--json', '--url', '--timeout']],
    [['delete'], ['<file>', '--yes', '--url']],
    [['validate'], ['<file>', '--json', '--strict']],
    [['dlq'], ['list', 'replay', 'purge']],
    [
      ['dlq', 'list'],
      ['--limit', '--json', '--url'],
    ],
    [
      ['dlq', 'replay'],
      ['--limit', '--filter-reason', '--url'],
    ],
    [
      ['dlq', 'purge'],
      ['--yes', '--url'],
    ],
  ])('documents %j', async (command, options) => {
    const { code, stdout } = await run([...command, '--help']);
    expect(code).toBe(0);
    for (const option of options) expect(stdout).toContain(option);
  });

  it('prints the version', async () => {
    expect((await run(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('usage errors', () => {
  it('rejects an unknown command with exit code 1', async () => {
    const { code, stderr } = await run(['aply', 'x.yaml']);
    expect(code).toBe(1);
    expect(stderr).toContain("unknown command 'aply'");
  });

  it('rejects a --limit that is not a positive integer', async () => {
    const { code, stderr } = await run(['dlq', 'list', 'q', '--limit', 'ten']);
    expect(code).toBe(1);
    expect(stderr).toContain('expected a positive integer');
  });

  it('refuses to purge without --yes, before connecting', async () => {
    const { code, stderr } = await run(['dlq', 'purge', 'orders', ...NOWHERE]);
    expect(code).toBe(1);
    expect(stderr).toContain('Refusing to purge orders.dlq without --yes');
    expect(stderr).toContain('code CONFIRMATION_REQUIRED');
  });
});

describe('validate', () => {
  it('accepts a valid file and says what it declares', async () => {
    const { code, stdout, stderr } = await run(['validate', fixture('valid.yaml')]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('is valid: 4 exchanges, 7 queues (2 work, 3 retry, 2 dead-letter)');
  });

  it('lists every problem with its path and line, exit code 1', async () => {
    const { code, stdout, stderr } = await run(['validate', fixture('invalid.yaml')]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/line 10: .*queues\.billing\.limits.*maxLenght/);
    expect(stderr).toMatch(/line 12: .*queues\.billing\.retry\.delays\[1\]/);
    expect(stderr).toContain('code TOPOLOGY_INVALID');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the issues as JSON with --json', async () => {
    const { code, stdout } = await run(['validate', fixture('invalid.yaml'), '--json']);
    expect(code).toBe(1);
    const result = JSON.parse(stdout) as { valid: boolean; issues: Array<{ path: string; line?: number }> };
    expect(result.valid).toBe(false);
    expect(result.issues.map((issue) => issue.line)).toEqual(expect.arrayContaining([10, 12]));
  });

  it('reports a missing file', async () => {
    const { code, stderr } = await run(['validate', fixture('missing.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain('missing.yaml');
  });
});

describe('broker commands', () => {
  it.each([['plan'], ['apply'], ['apply', '--dry-run']])(
    '%s fails on an invalid file before any broker call',
    async (...command) => {
      const { code, stderr } = await run([...command, fixture('invalid.yaml'), ...NOWHERE]);
      expect(code).toBe(1);
      expect(stderr).toContain('code TOPOLOGY_INVALID');
      expect(stderr).not.toMatch(/unreachable|Cannot reach/i);
    },
  );

  it('reports an unreachable management API without printing the password or a stack trace', async () => {
    const { code, stderr } = await run(['plan', fixture('valid.yaml'), ...NOWHERE]);
    expect(code).toBe(1);
    expect(stderr).toContain('error: Cannot reach the RabbitMQ management API at http://127.0.0.1:1');
    expect(stderr).toContain('code MANAGEMENT_UNREACHABLE');
    expect(stderr).not.toContain('s3cret');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the stack trace, redacted, with WARREN_DEBUG=1', async () => {
    const { stderr } = await run(['plan', fixture('valid.yaml'), ...NOWHERE], { WARREN_DEBUG: '1' });
    expect(stderr).toMatch(/\n\s+at /);
    expect(stderr).not.toContain('s3cret');
  });

  it('reports an unreachable broker for dlq commands without the password', async () => {
    const { code, stderr } = await run(['dlq', 'list', 'orders', ...NOWHERE]);
    expect(code).toBe(1);
    expect(stderr).toContain('code BROKER_UNREACHABLE');
    expect(stderr).not.toContain('s3cret');
  });

  it('takes the URL from AMQP_URL', async () => {
    const { stderr } = await run(['dlq', 'list', 'orders'], { AMQP_URL: 'amqp://ops:s3cret@127.0.0.1:2' });
    expect(stderr).toContain('amqp://ops:***@127.0.0.1:2');
    expect(stderr).not.toContain('s3cret');
  });
});

describe('validate warnings', () => {
  it('warns with the line about a setting RabbitMQ would downgrade, and still exits 0', async () => {
    const { code, stdout, stderr } = await run(['validate', fixture('warning.yaml')]);
    expect(code).toBe(0);
    expect(stdout).toContain('is valid');
    expect(stderr).toMatch(/^warning: line 6: queues\.billing\.limits\.overflow: .*\(QUORUM_REJECT_PUBLISH_DLX\)$/m);
  });

  it('exits 1 on warnings with --strict', async () => {
    expect((await run(['validate', fixture('warning.yaml'), '--strict'])).code).toBe(1);
  });
});
