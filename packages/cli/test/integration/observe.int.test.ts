import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { recordingLogger, uniqueName, useBroker, waitFor } from '@warren/testing';
import { runCli } from '../../src';
import { run } from '../run';

const broker = useBroker();
const dir = mkdtempSync(join(tmpdir(), 'warren-cli-observe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const connection = (): string[] => ['--url', broker.amqpUrl, '--management-url', broker.managementUrl];

/** A topology file with one work queue (deleted with `warren delete` after the file). */
async function applied(queue: string): Promise<string> {
  const file = join(dir, `${queue}.json`);
  writeFileSync(file, JSON.stringify({ queues: { [queue]: { deadLetter: false } } }));
  expect((await run(['apply', file, ...connection()])).code).toBe(0);
  broker.teardown(() => run(['delete', file, ...connection(), '--yes']));
  return file;
}

describe('warren status: the outside view of a stall', () => {
  it("calls a queue 'stalled' when its consumer holds its prefetch and nothing moves", async () => {
    const queue = uniqueName('observe.stall');
    const file = await applied(queue);
    const amqp = await connect(broker.amqpUrl);
    broker.teardown(() => amqp.close().catch(() => undefined));
    const channel = await amqp.createChannel();
    await channel.prefetch(1);
    await channel.consume(queue, () => undefined); // takes one message and never acks it
    for (let i = 0; i < 5; i++) channel.sendToQueue(queue, Buffer.from('{}'));

    const verdictOf = async (): Promise<string> => {
      const result = await run(['status', file, ...connection(), '--json']);
      return (JSON.parse(result.stdout) as { queues: { verdict: string }[] }).queues[0]!.verdict;
    };
    await waitFor('the stalled verdict', 30_000, async () => ((await verdictOf()) === 'stalled' ? true : undefined));
    const text = await run(['status', file, ...connection()]);
    expect(text.stdout).toContain(`${queue}: 4 ready, 1 unacked, 1 consumer(s) — stalled`);
  });
});

describe('runCli with a logger', () => {
  it('logs the outcome of each command, and never the password of a URL', async () => {
    const { user, password } = await broker.management.createUser(uniqueName('observe-cli'));
    broker.teardown(() => broker.management.deleteUser(user));
    const file = await applied(uniqueName('observe.log'));
    const log = recordingLogger();
    const io = { stdout: () => undefined, stderr: () => undefined, env: {}, logger: log.logger };

    expect(await runCli(['status', file, ...connection()], io)).toBe(0);
    const wrong = new URL(broker.amqpUrl);
    wrong.username = user;
    wrong.password = `${password}-wrong`;
    const managementWrong = new URL(broker.managementUrl);
    managementWrong.username = user;
    managementWrong.password = `${password}-wrong`;
    const args = ['status', file, '--url', wrong.toString(), '--management-url', managementWrong.toString()];
    expect(await runCli(args, io)).toBe(1);

    expect(log.find('warren-cli', 'warren status finished')).toEqual([
      expect.objectContaining({ level: 'info', command: 'status', exitCode: 0, durationMs: expect.any(Number) }),
    ]);
    expect(log.find('warren-cli', 'warren status failed')).toEqual([
      expect.objectContaining({ level: 'error', command: 'status', exitCode: 1, code: expect.any(String) }),
    ]);
    for (const line of log.text()) expect(line).not.toContain(password);
  });
});
