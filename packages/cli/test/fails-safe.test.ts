import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { emptyRabbitMq, httpOnAmqpPort, httpServer, type LocalServer } from './http-server';
import { runCli } from '../src/program';
import { fixture, run } from './run';

const servers: LocalServer[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));
const started = <T extends LocalServer>(server: T): T => (servers.push(server), server);

/** An AMQP URL where nothing listens, and where a command that reached it would fail. */
const NO_AMQP = 'amqp://guest:guest@127.0.0.1:1';

describe('a management API that accepts and never answers', () => {
  it('fails plan after --timeout with MANAGEMENT_UNREACHABLE, instead of hanging', async () => {
    const silent = started(await httpServer(() => undefined));
    const began = Date.now();
    const result = await run([
      'plan',
      fixture('valid.yaml'),
      ...['--url', NO_AMQP, '--management-url', `http://127.0.0.1:${silent.port}`, '--timeout', '0.5'],
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no answer within 0\.5 s/);
    expect(result.stderr).toContain('code MANAGEMENT_UNREACHABLE');
    expect(Date.now() - began).toBeLessThan(4_000);
  });
});

describe('a management URL that is not RabbitMQ', () => {
  it('is NOT_RABBITMQ, not "the vhost does not exist"', async () => {
    const web = started(
      await httpServer((_request, response) => {
        response.statusCode = 404;
        response.end('Not Found');
      }),
    );
    const result = await run([
      'plan',
      fixture('valid.yaml'),
      ...['--url', NO_AMQP, '--management-url', `http://127.0.0.1:${web.port}`],
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('code NOT_RABBITMQ');
    expect(result.stderr).not.toContain('does not exist');
  });
});

describe('URLs are checked before anything is done', () => {
  it.each([
    ['an http:// AMQP URL', 'http://guest:guest@127.0.0.1:15672', /--url \/ AMQP_URL: .*scheme 'http:'/],
    ['garbage', 'amqp://guest:guest@[::1', /--url \/ AMQP_URL: .* is not a valid URL/],
  ])('%s is INVALID_URL naming the option', async (_what, url, message) => {
    const result = await run(['apply', fixture('valid.yaml'), '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('code INVALID_URL');
  });
});

describe('--json covers failures', () => {
  it('prints a JSON error with code and message on stdout, exit code unchanged', async () => {
    const result = await run(['plan', fixture('valid.yaml'), '--json', '--url', 'http://h:1']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ code: 'INVALID_URL', message: expect.stringContaining('--url') });
  });

  it('includes the issues of an invalid file', async () => {
    const result = await run(['plan', fixture('invalid.yaml'), '--json']);
    expect(result.code).toBe(1);
    const error = JSON.parse(result.stdout);
    expect(error).toMatchObject({ code: 'TOPOLOGY_INVALID' });
    expect(error.issues[0]).toEqual(expect.objectContaining({ path: expect.any(String), line: expect.any(Number) }));
  });

  it('turns a usage error into code USAGE', async () => {
    const result = await run(['dlq', 'replay', 'q', '--json', '--filter-reason', 'handler-error']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('handler-error'),
    });
  });

  it('is typed NOT_AMQP, with a hint, for a port that does not speak AMQP', async () => {
    const http = started(await httpOnAmqpPort());
    const result = await run(['dlq', 'list', 'q', '--json', '--url', `amqp://guest:guest@127.0.0.1:${http.port}`]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      code: 'NOT_AMQP',
      message: expect.stringContaining('not the management port'),
    });
  });

  it('is typed OUTPUT_NOT_WRITABLE for export -o <directory>', async () => {
    const rabbit = started(await emptyRabbitMq());
    const dir = mkdtempSync(`${tmpdir()}/warren-export-`);
    const result = await run([
      'export',
      ...['-o', dir, '--url', NO_AMQP, '--management-url', `http://127.0.0.1:${rabbit.port}`],
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is a directory');
    expect(result.stderr).toContain('code OUTPUT_NOT_WRITABLE');
  });
});

describe('--filter-reason', () => {
  it('refuses an unknown reason, listing the known ones', async () => {
    const result = await run(['dlq', 'replay', 'q', '--filter-reason', 'handler-error', '--url', NO_AMQP]);
    expect(result.code).toBe(1);
    for (const reason of ['retries-exhausted', 'non-retryable', 'rejected', 'expired', 'maxlen', 'delivery_limit'])
      expect(result.stderr).toContain(reason);
  });
});

describe('the environment', () => {
  it('shows AMQP_URL, AMQP_MANAGEMENT_URL and AMQP_VHOST in --help', async () => {
    const { stdout } = await run(['plan', '--help']);
    for (const name of ['env: AMQP_URL', 'env: AMQP_MANAGEMENT_URL', 'env: AMQP_VHOST']) expect(stdout).toContain(name);
  });

  it('honours AMQP_MANAGEMENT_URL and AMQP_VHOST', async () => {
    const seen: string[] = [];
    const rabbit = started(
      await httpServer((request, response) => {
        seen.push(request.url ?? '');
        response.end(request.url === '/api/overview' ? '{"rabbitmq_version":"3.13.7"}' : '[]');
      }),
    );
    const env = { AMQP_URL: NO_AMQP, AMQP_MANAGEMENT_URL: `http://127.0.0.1:${rabbit.port}`, AMQP_VHOST: 'shop' };
    const result = await run(['plan', fixture('valid.yaml')], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("against vhost 'shop'");
    expect(seen).toContain('/api/policies/shop');
  });
});

describe('colours', () => {
  const plan = async (env: Record<string, string>, ...flags: string[]) => {
    const rabbit = started(await emptyRabbitMq());
    const args = ['--url', NO_AMQP, '--management-url', `http://127.0.0.1:${rabbit.port}`];
    return (await run([...flags, 'plan', fixture('valid.yaml'), ...args], env)).stdout;
  };
  const GREEN = '\u001b[32m';

  it('colours the plan with FORCE_COLOR, + in green', async () => {
    expect(await plan({ FORCE_COLOR: '1' })).toContain(`${GREEN}+ create`);
  });

  it('does not colour when piped, with NO_COLOR, or with --no-color', async () => {
    expect(await plan({})).not.toContain('\u001b[');
    expect(await plan({ FORCE_COLOR: '1', NO_COLOR: '1' })).not.toContain('\u001b[');
    expect(await plan({ FORCE_COLOR: '1' }, '--no-color')).not.toContain('\u001b[');
  });
});

describe('delete', () => {
  it('needs --yes when there is no terminal to ask on', async () => {
    const result = await run(['delete', fixture('valid.yaml'), '--url', NO_AMQP]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('code CONFIRMATION_REQUIRED');
  });
});

describe('completion', () => {
  it.each(['bash', 'zsh'])('prints a %s script naming the commands and their options', async (shell) => {
    const { code, stdout } = await run(['completion', shell]);
    expect(code).toBe(0);
    expect(stdout).toContain('complete -F _warren_completion warren');
    expect(stdout).toContain('"dlq replay") words="');
    expect(stdout).toContain('--filter-reason');
    if (shell === 'zsh') expect(stdout).toContain('bashcompinit');
  });

  it('is valid bash', async () => {
    const { stdout } = await run(['completion', 'bash']);
    expect(stdout).toContain('complete -F');
    expect(() => execFileSync('bash', ['-n'], { input: stdout })).not.toThrow();
  });
});

describe('status --watch', () => {
  it('prints the status again every interval until interrupted, then exits 0', async () => {
    const rabbit = started(await emptyRabbitMq());
    const interrupt = new AbortController();
    let stdout = '';
    const code = await runCli(['status', fixture('valid.yaml'), '--watch', '0.05', '--url', NO_AMQP], {
      stdout: (text) => {
        stdout += text;
        if (stdout.split('Status of').length > 3) interrupt.abort();
      },
      stderr: () => undefined,
      env: { AMQP_MANAGEMENT_URL: `http://127.0.0.1:${rabbit.port}` },
      signal: interrupt.signal,
    });
    expect(code).toBe(0);
    expect(stdout.split('Status of').length - 1).toBe(3);
    expect(stdout).toContain('billing.order-created: missing (warren apply creates it)');
  });
});

describe('the environment of an in-process run', () => {
  const saved = process.env.AMQP_VHOST;
  afterEach(() => (saved === undefined ? delete process.env.AMQP_VHOST : (process.env.AMQP_VHOST = saved)));

  it("is io.env, not the test process's", async () => {
    process.env.AMQP_VHOST = 'from-process-env';
    const rabbit = started(await emptyRabbitMq());
    const env = { AMQP_URL: NO_AMQP, AMQP_MANAGEMENT_URL: `http://127.0.0.1:${rabbit.port}`, AMQP_VHOST: 'from-io' };
    const result = await run(['plan', fixture('valid.yaml')], env);
    expect(result.stdout).toContain("against vhost 'from-io'");
  });
});
