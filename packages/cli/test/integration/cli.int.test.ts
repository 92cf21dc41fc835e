import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { HEADERS } from '@warren/core';
import { ManagementClient } from '@warren/topology';
import { uniqueName, useBroker } from '@warren/testing';
import { run } from '../run';

const broker = useBroker();
const dir = mkdtempSync(join(tmpdir(), 'warren-cli-'));
const queue = uniqueName('cli.orders');
const exchange = uniqueName('cli.events');

/** The topology under test: a quorum work queue with two retry tiers and a DLQ; `overrides` change the queue. */
function topology(overrides: Record<string, unknown> = {}): unknown {
  return {
    exchanges: { [exchange]: { type: 'topic' } },
    queues: {
      [queue]: {
        type: 'quorum',
        bindings: [{ exchange, routingKey: 'order.*' }],
        limits: { maxLength: 1000, overflow: 'reject-publish' },
        retry: { delays: ['1s', '10s'] },
        deadLetter: true,
        ...overrides,
      },
    },
  };
}

function topologyFile(name: string, overrides: Record<string, unknown> = {}): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(topology(overrides), null, 2));
  return path;
}

const escape = (name: string): string => name.replace(/\./g, '\\.');

/** A fresh vhost the guest user may use, deleted (with everything in it) after the file. */
async function createVhost(): Promise<string> {
  const name = uniqueName('warren-cli');
  const path = broker.management.path('/api/vhosts/{vhost}', name);
  await broker.management.request('PUT', path, {});
  broker.teardown(() => broker.management.request('DELETE', path));
  const permissions = broker.management.path('/api/permissions/{vhost}/{user}', name, 'guest');
  await broker.management.request('PUT', permissions, { configure: '.*', write: '.*', read: '.*' });
  return name;
}

// The suite works in a vhost of its own: other suites share the default one and change it (policies, leftovers).
let vhost: string;
beforeAll(async () => {
  vhost = await createVhost();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const connection = (): string[] => [
  '--url',
  broker.amqpUrl,
  '--management-url',
  broker.managementUrl,
  '--vhost',
  vhost,
];
const management = (): ManagementClient => new ManagementClient(broker.managementUrl, vhost);

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('plan and apply', () => {
  it('plans the creation of everything, with exit code 2 under --detailed-exitcode', async () => {
    const { code, stdout, stderr } = await run([
      'plan',
      topologyFile('v1.json'),
      ...connection(),
      '--detailed-exitcode',
    ]);
    expect({ code, stderr }).toEqual({ code: 2, stderr: '' });
    expect(stdout).toContain(`+ create exchange ${exchange} (topic)`);
    expect(stdout).toContain(`+ create queue ${queue} (quorum)`);
    expect(stdout).toContain(`+ create queue ${queue}.retry.1s (quorum)`);
    expect(stdout).toContain(`+ create queue ${queue}.dlq (quorum)`);
    expect(stdout).toMatch(
      new RegExp(`\\+ create policy warren\\.[0-9a-f]{8}\\.[0-9a-f]{8} \\(for ${escaped(queue)}: `),
    );
  });

  it('plans as JSON for machines, exit code 0 without --detailed-exitcode', async () => {
    const { code, stdout } = await run(['plan', topologyFile('v1.json'), ...connection(), '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as { hasChanges: boolean; hasDrift: boolean; items: { name: string }[] };
    expect(plan).toMatchObject({ hasChanges: true, hasDrift: false });
    expect(plan.items.map((item) => item.name)).toContain(queue);
  });

  it('applies, and a second apply changes nothing and says so', async () => {
    const first = await run(['apply', topologyFile('v1.json'), ...connection()]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`+ create queue ${queue} (quorum)`);
    expect(first.stdout).toMatch(/Apply complete: \d+ created/);
    expect((await management().queue(queue)).type).toBe('quorum');

    const second = await run(['apply', topologyFile('v1.json'), ...connection()]);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toContain('No changes: the broker already matches');

    const plan = await run(['plan', topologyFile('v1.json'), ...connection(), '--detailed-exitcode']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`= unchanged queue ${queue}`);
  });

  it("targets the file's vhost when neither --vhost nor the URL names one", async () => {
    const path = join(dir, 'with-vhost.json');
    writeFileSync(path, JSON.stringify({ vhost, ...(topology() as object) }));
    const target = ['--url', broker.amqpUrl, '--management-url', broker.managementUrl];
    const { code, stdout } = await run(['plan', path, ...target, '--detailed-exitcode']);
    expect(code).toBe(0);
    expect(stdout).toContain(`against vhost '${vhost}'`);
  });

  it('shows a policy change with --dry-run exactly as plan does, and changes nothing', async () => {
    const file = topologyFile('v2.json', { limits: { maxLength: 5000, overflow: 'reject-publish' } });
    const dryRun = await run(['apply', file, ...connection(), '--dry-run']);
    const plan = await run(['plan', file, ...connection()]);
    expect(dryRun).toEqual(plan);
    // Other limits are another (grouped) policy: the new one is created, the old one deleted.
    expect(dryRun.stdout).toMatch(
      new RegExp(
        `\\+ create policy warren\\.\\S+ \\(for ${escaped(queue)}: .*max-length 5000, overflow 'reject-publish'`,
      ),
    );
    expect(dryRun.stdout).toMatch(/- delete policy warren\.[0-9a-f]{8}\.[0-9a-f]{8}/);

    expect((await run(['plan', file, ...connection(), '--detailed-exitcode'])).code).toBe(2);
  });

  it('refuses immutable drift with the live and wanted values, and changes nothing', async () => {
    const file = topologyFile('drift.json', { type: 'classic', limits: {} });
    const plan = await run(['plan', file, ...connection(), '--detailed-exitcode']);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain(`! drift queue ${queue}: type live 'quorum' wanted 'classic'`);

    const apply = await run(['apply', file, ...connection()]);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('Refusing to apply');
    expect(apply.stderr).toContain('code TOPOLOGY_DRIFT');
    expect(apply.stderr).not.toMatch(/\n\s+at /);
    expect((await management().queue(queue)).type).toBe('quorum');
  });

  it('exports the live vhost as a file that apply accepts unchanged', async () => {
    // A vhost of its own, holding exactly what the file declares.
    const target = [...connection(), '--vhost', await createVhost()];
    expect((await run(['apply', topologyFile('v1.json'), ...target])).code).toBe(0);
    const output = join(dir, 'exported.yaml');

    const exported = await run(['export', ...target, '--output', output]);

    expect(exported.code).toBe(0);
    const yaml = readFileSync(output, 'utf8');
    expect(yaml).toMatch(new RegExp(`^  ${escape(queue)}:$`, 'm'));
    expect(yaml).not.toContain(`${queue}.dlq:`); // folded back into its work queue
    const plan = await run(['plan', output, ...target, '--detailed-exitcode']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('No changes');
    const apply = await run(['apply', output, ...target]);
    expect(apply.stdout).toContain('No changes: the broker already matches');
    expect((await run(['export', ...target])).stdout).toBe(yaml);
    expect((await run(['dlq', 'list', queue, ...target])).stdout).toBe(`${queue}.dlq is empty.\n`);
  });

  it('reports a vhost that does not exist as an error naming it, exit code 1', async () => {
    const missing = uniqueName('no-such-vhost');
    const { code, stderr } = await run(['plan', topologyFile('v1.json'), ...connection(), '--vhost', missing]);
    expect(code).toBe(1);
    expect(stderr).toContain(encodeURIComponent(missing));
    expect(stderr).toMatch(/code MANAGEMENT_API_ERROR, HTTP 404/);
  });
});

describe('dlq', () => {
  beforeAll(async () => {
    await run(['apply', topologyFile('v1.json'), ...connection()]);
    const url = new URL(broker.amqpUrl);
    url.pathname = `/${encodeURIComponent(vhost)}`;
    const amqp = await connect(url.toString());
    const channel = await amqp.createConfirmChannel();
    for (const [id, reason] of [
      ['m-1', 'retries-exhausted'],
      ['m-2', 'non-retryable'],
      ['m-3', 'retries-exhausted'],
    ] as const) {
      channel.publish(`${queue}.dlx`, 'order.created', Buffer.from(`{"id":"${id}"}`), {
        messageId: id,
        persistent: true,
        headers: { [HEADERS.reason]: reason, [HEADERS.error]: `failed ${id}`, [HEADERS.attempt]: 3 },
      });
    }
    await channel.waitForConfirms();
    await amqp.close();
  });

  it('lists the parked messages and leaves them in place', async () => {
    const text = await run(['dlq', 'list', queue, ...connection()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${queue}.dlq: 3 message(s) parked; showing 3 (left in place).`);
    expect(text.stdout).toContain('#1 m-1 (dead-lettered by a Warren consumer)');
    expect(text.stdout).toContain('error: failed m-1');

    expect(text.stdout).not.toContain('body:');
    const withBody = await run(['dlq', 'list', queue, ...connection(), '--limit', '1', '--show-body']);
    expect(withBody.stdout).toMatch(/^#1 (m-\d) .*\n(?:.*\n)* {2}body: \{"id":"\1"\}$/m);

    const limited = await run(['dlq', 'list', queue, ...connection(), '--limit', '1', '--json']);
    const listing = JSON.parse(limited.stdout) as { total: number; messages: { messageId: string; reason: string }[] };
    expect(listing.total).toBe(3);
    // Quorum queues put returned messages behind the others: which one comes first changes between listings.
    expect(listing.messages).toEqual([expect.objectContaining({ messageId: expect.stringMatching(/^m-[123]$/) })]);
  });

  it('replays only the messages with the given reason', async () => {
    const { code, stdout } = await run([
      'dlq',
      'replay',
      queue,
      ...connection(),
      '--filter-reason',
      'retries-exhausted',
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe(`Moved 2 message(s) from ${queue}.dlq to ${queue}; 1 left in ${queue}.dlq (other reasons).\n`);
    const left = JSON.parse((await run(['dlq', 'list', queue, ...connection(), '--json'])).stdout) as {
      messages: { messageId: string }[];
    };
    expect(left.messages.map((m) => m.messageId)).toEqual(['m-2']);
  });

  it('purges only with --yes', async () => {
    const refused = await run(['dlq', 'purge', queue, ...connection()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('code CONFIRMATION_REQUIRED');

    const purged = await run(['dlq', 'purge', queue, ...connection(), '--yes']);
    expect(purged).toMatchObject({ code: 0, stdout: `Purged 1 message(s) from ${queue}.dlq.\n` });
    expect((await run(['dlq', 'list', queue, ...connection()])).stdout).toBe(`${queue}.dlq is empty.\n`);
  });

  it('names a queue without a dead-letter queue, with the reply code', async () => {
    const { code, stderr } = await run(['dlq', 'list', `${queue}.nope`, ...connection()]);
    expect(code).toBe(1);
    expect(stderr).toContain(`Queue '${queue}.nope.dlq' does not exist`);
    expect(stderr).toContain('code QUEUE_NOT_FOUND, reply code 404');
  });
});

describe('connection errors', () => {
  const wrongPassword = (url: string): string => url.replace(/\/\/([^:@/]+):[^@]*@/, '//$1:wrong-s3cret@');

  it('reports a refused login to the management API without the password', async () => {
    const { code, stderr } = await run([
      'plan',
      topologyFile('v1.json'),
      '--url',
      wrongPassword(broker.amqpUrl),
      '--management-url',
      wrongPassword(broker.managementUrl),
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/code MANAGEMENT_API_ERROR, HTTP 401/);
    expect(stderr).not.toContain('wrong-s3cret');
  });

  it('reports a refused AMQP login with its reply code, without the password', async () => {
    const { code, stderr } = await run([
      'dlq',
      'list',
      queue,
      '--url',
      wrongPassword(broker.amqpUrl),
      '--vhost',
      vhost,
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('(403 ACCESS_REFUSED)');
    expect(stderr).toContain('code ACCESS_REFUSED, reply code 403');
    expect(stderr).not.toContain('wrong-s3cret');
  });

  it('tries the next URL of a cluster list when a node does not answer', async () => {
    const urls = `amqp://127.0.0.1:1,${broker.amqpUrl}`;
    const { code, stdout } = await run(['dlq', 'list', queue, '--url', urls, '--vhost', vhost]);
    expect(code).toBe(0);
    expect(stdout).toContain(`${queue}.dlq`);
  });

  it("uses the next node's management API when the first does not answer", async () => {
    const ownVhost = await createVhost();
    const managementUrls = `http://guest:guest@127.0.0.1:1,${broker.managementUrl}`;
    const args = ['plan', topologyFile('v1.json'), '--url', `amqp://127.0.0.1:1,${broker.amqpUrl}`];
    const { code, stdout, stderr } = await run([...args, '--management-url', managementUrls, '--vhost', ownVhost]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`+ create queue ${queue} (quorum)`);
  });
});

describe('broker refusals', () => {
  it('names the object the broker refused to declare, with the reply code', async () => {
    const ownVhost = await createVhost();
    const user = uniqueName('warren-cli-readonly');
    const password = 'ro-s3cret';
    const userPath = broker.management.path('/api/users/{user}', user);
    // policymaker: it may set Warren's policies; configure '^$': it may not declare anything.
    await broker.management.request('PUT', userPath, { password, tags: 'policymaker' });
    broker.teardown(() => broker.management.request('DELETE', userPath));
    const permissions = broker.management.path('/api/permissions/{vhost}/{user}', ownVhost, user);
    await broker.management.request('PUT', permissions, { configure: '^$', write: '.*', read: '.*' });
    const as = (url: string): string => url.replace(/\/\/[^@/]*@/, `//${user}:${password}@`);

    const { code, stderr } = await run([
      'apply',
      topologyFile('v1.json'),
      '--url',
      as(broker.amqpUrl),
      '--management-url',
      as(broker.managementUrl),
      '--vhost',
      ownVhost,
    ]);

    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: .*(exchange|queue) '/m);
    expect(stderr).toContain('ACCESS_REFUSED');
    expect(stderr).toMatch(/reply code 403/);
    expect(stderr).not.toContain(password);
  });
});
