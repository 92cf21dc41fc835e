import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { uniqueName, useBroker } from '@warren/testing';
import { policyPatternQueues } from '@warren/topology';
import type { DemoSummary } from '../src/summary';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const broker = useBroker();

// The demo runs from its build (it forks the service and the worker as separate processes), as `npm run demo` does.
beforeAll(async () => {
  await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'examples/timeline'], { cwd: root });
}, 180_000);

it('runs the timeline demo end to end in quick mode: exit 0, numbers that add up, nothing left behind', async () => {
  const namespace = uniqueName('demo');
  const demo = path.join(root, 'examples/timeline/dist/src/demo.js');
  const env = { ...process.env, AMQP_URL: broker.amqpUrl, AMQP_MANAGEMENT_URL: broker.managementUrl };
  const { stdout } = await run(process.execPath, [demo, '--quick', '--json', '--namespace', namespace], {
    cwd: root,
    env,
    timeout: 120_000,
  });
  const summary = JSON.parse(stdout) as DemoSummary;

  expect(summary.balanced).toBe(true);
  expect(summary.accepted).toBe(summary.processed + summary.deadLettered + summary.stillQueued - summary.duplicates);
  // At-least-once: a few copies may be counted twice (same messageId), never many.
  expect(summary.duplicates).toBeLessThanOrEqual(summary.accepted * 0.1);
  expect(summary.accepted + summary.gaveUp).toBe(300);
  expect(summary.invalid400).toBe(3);
  expect(summary.processed).toBeGreaterThan(0);
  expect(summary.deadLettered).toBeGreaterThan(0);
  expect(Object.keys(summary.retried).sort()).toEqual([`${namespace}.fanout.retry.1s`, `${namespace}.fanout.retry.3s`]);
  // The scheduled reminder (5 s, through the delay ladder): never early, about a second late at most.
  expect(summary.reminder.lateMs).toBeGreaterThanOrEqual(0);
  expect(summary.reminder.lateMs).toBeLessThanOrEqual(1_500);

  const left = await broker.management.queues(['name']);
  expect(left.filter((queue) => queue.name.startsWith(namespace))).toEqual([]);
  const policies = await broker.management.policies();
  // Warren's policies are named by hashes: look for one whose pattern still names a queue of the demo.
  const naming = (pattern: string) => (policyPatternQueues(pattern) ?? []).some((q) => q.startsWith(namespace));
  expect(policies.filter((policy) => policy.name.includes(namespace) || naming(policy.pattern))).toEqual([]);
}, 150_000);
