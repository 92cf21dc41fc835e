import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { HEADERS } from '@warren/core';
import { ManagementClient, policyPatternQueues } from '@warren/topology';
import { queueDepth, uniqueName, useBroker, waitFor } from '@warren/testing';
import { httpServer } from '../http-server';
import { run } from '../run';

const broker = useBroker();
const dir = mkdtempSync(join(tmpdir(), 'warren-cli-safe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh vhost the guest user may use, deleted (with everything in it) after the file. */
async function createVhost(): Promise<string> {
  const name = uniqueName('warren-safe');
  const path = broker.management.path('/api/vhosts/{vhost}', name);
  await broker.management.request('PUT', path, {});
  broker.teardown(() => broker.management.request('DELETE', path));
  const permissions = broker.management.path('/api/permissions/{vhost}/{user}', name, 'guest');
  await broker.management.request('PUT', permissions, { configure: '.*', write: '.*', read: '.*' });
  return name;
}

/** A topology file with one work queue `queue` (quorum, a limit, one retry tier, a DLQ). */
function topologyFile(queue: string): string {
  const path = join(dir, `${queue}.json`);
  const file = {
    queues: {
      [queue]: { type: 'quorum', limits: { maxLength: 100_000 }, retry: { delays: ['1s'] }, deadLetter: true },
    },
  };
  writeFileSync(path, JSON.stringify(file));
  return path;
}

let vhost: string;
beforeAll(async () => {
  vhost = await createVhost();
});
const connection = (): string[] => [
  '--url',
  broker.amqpUrl,
  '--management-url',
  broker.managementUrl,
  '--vhost',
  vhost,
];
const management = (): ManagementClient => new ManagementClient(broker.managementUrl, vhost);

describe('apply changes nothing until everything it needs answers', () => {
  it('leaves no policy behind when the AMQP URL is http://', async () => {
    const queue = uniqueName('safe.http');
    const httpUrl = broker.managementUrl; // a valid, answering URL: of the wrong kind
    const result = await run([
      'apply',
      topologyFile(queue),
      ...['--url', httpUrl, '--management-url', broker.managementUrl, '--vhost', vhost],
    ]);
    const policies = await management().policies();
    expect(policies.filter((p) => policyPatternQueues(p.pattern)?.includes(queue))).toEqual([]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('code INVALID_URL');
  });
});

describe('a password with an unencoded @', () => {
  const PASSWORD = 's3cr@tPw';
  const SECRET = /s3cr|tPw/;
  // The vhost goes in the URL's path, not --vhost: a --vhost rewrites the URL through `URL`, which encodes the `@`.
  const withPassword = (url: string): string => {
    const { protocol, host } = new URL(url);
    const path = protocol.startsWith('amqp') || protocol === 'http:' ? `/${encodeURIComponent(vhost)}` : '';
    return `${protocol}//guest:${PASSWORD}@${host}${path}`;
  };
  const managementWith = (url: string): string => `${new URL(url).protocol}//guest:${PASSWORD}@${new URL(url).host}`;

  it('is never printed, by any command, on any error path', async () => {
    const file = topologyFile(uniqueName('safe.at'));
    const web = await httpServer((_request, response) => {
      response.statusCode = 404;
      response.end();
    });
    const wrong = ['--url', withPassword(broker.amqpUrl), '--management-url', managementWith(broker.managementUrl)];
    const targets = [
      wrong, // 401 from the management API, 403 from AMQP
      ['--url', withPassword('amqp://127.0.0.1:1'), '--management-url', managementWith('http://127.0.0.1:1')], // unreachable
      ['--url', withPassword('http://127.0.0.1:1')], // wrong scheme
      ['--url', `amqp://guest:${PASSWORD}@[bad`], // does not parse
      ['--url', withPassword(broker.amqpUrl), '--management-url', managementWith(`http://127.0.0.1:${web.port}`)], // not RabbitMQ
    ];
    const commands = [
      ['plan', file],
      ['apply', file],
      ['status', file],
      ['delete', file, '--yes'],
      ['export'],
      ['dlq', 'list', 'q'],
      ['dlq', 'replay', 'q'],
      ['dlq', 'purge', 'q', '--yes'],
    ];
    try {
      for (const target of targets)
        for (const command of commands)
          for (const json of [[], ['--json']]) {
            if (json.length > 0 && ['delete', 'export'].includes(command[0] as string)) continue;
            const result = await run([...command, ...target, ...json], { WARREN_DEBUG: '1' });
            expect({ command, target: target.length, code: result.code }).toEqual({
              command,
              target: target.length,
              code: 1,
            });
            expect(result.stdout).not.toMatch(SECRET);
            expect(result.stderr).not.toMatch(SECRET);
          }
    } finally {
      web.close();
    }
  });
});

describe('status and delete', () => {
  it("shows each work queue's counts, tiers, dead letters and policy; delete --yes removes them", async () => {
    const queue = uniqueName('safe.status');
    const file = topologyFile(queue);
    expect((await run(['apply', file, ...connection()])).code).toBe(0);

    const text = await run(['status', file, ...connection()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${queue}: 0 ready, 0 unacked, 0 consumer(s)`);
    expect(text.stdout).toContain(`retry ${queue}.retry.1s: 0 ready`);
    expect(text.stdout).toContain(`dead letters ${queue}.dlq: 0 ready`);
    const status = JSON.parse((await run(['status', file, ...connection(), '--json'])).stdout);
    expect(status.queues[0]).toMatchObject({ name: queue, exists: true, deadLetter: { name: `${queue}.dlq` } });

    const deleted = await run(['delete', file, ...connection(), '--yes']);
    expect(deleted).toMatchObject({ code: 0, stderr: '' });
    const after = JSON.parse((await run(['status', file, ...connection(), '--json'])).stdout);
    expect(after.queues[0]).toMatchObject({ name: queue, exists: false });
  });
});

describe('export --prefix', () => {
  it('exports only the queues with the prefix', async () => {
    const ours = uniqueName('safe.ours');
    const theirs = uniqueName('safe.theirs');
    for (const queue of [ours, theirs])
      expect((await run(['apply', topologyFile(queue), ...connection()])).code).toBe(0);
    const { code, stdout } = await run(['export', ...connection(), '--prefix', 'safe.ours']);
    expect(code).toBe(0);
    expect(stdout).toContain(`${ours}:`);
    expect(stdout).not.toContain(theirs);
  });
});

describe('SIGINT during a replay of 10,000 messages', () => {
  jest.setTimeout(120_000);

  it('stops, says how far it got, exits 130, and loses nothing', async () => {
    const queue = uniqueName('safe.replay');
    const file = topologyFile(queue);
    expect((await run(['apply', file, ...connection()])).code).toBe(0);
    const url = new URL(broker.amqpUrl);
    url.pathname = `/${encodeURIComponent(vhost)}`;
    const amqp = await connect(url.toString());
    const channel = await amqp.createConfirmChannel();
    for (let i = 0; i < 10_000; i++)
      channel.publish(`${queue}.dlx`, queue, Buffer.from(`{"i":${i}}`), {
        messageId: `m-${i}`,
        headers: { [HEADERS.reason]: 'retries-exhausted' },
      });
    await channel.waitForConfirms();
    await amqp.close();

    const bin = join(__dirname, '..', '..', 'dist', 'src', 'bin.js');
    const child = spawn(process.execPath, [bin, 'dlq', 'replay', queue, ...connection()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const progressed = new Promise<void>((resolve) =>
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/moved \d+ of 10000/.test(stderr)) resolve();
      }),
    );
    // A piped run prints a progress line every second; interrupt at the first (or after 3 s if none comes).
    await Promise.race([progressed, sleep(3_000)]);
    child.kill('SIGINT');
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];

    expect({ code, signal }).toEqual({ code: 130, signal: null });
    const summary = /Interrupted: moved (\d+) of 10000 — run again to continue\./.exec(stderr);
    expect(summary).not.toBeNull();
    const moved = Number(summary?.[1]);
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(10_000);
    expect(stdout).toContain(`Moved ${moved} message(s)`);
    // Nothing lost: every message is in the work queue or back in the DLQ (a quorum queue applies the nack soon after).
    const depth = async (name: string) => queueDepth(url.toString(), name);
    await waitFor('all 10,000 messages ready', 10_000, async () =>
      (await depth(queue)) + (await depth(`${queue}.dlq`)) === 10_000 ? true : undefined,
    );
    expect(await depth(queue)).toBe(moved);
  });
});
