import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { applyTopology } from '../../src/live/apply';
import { declareQueue, runTasks } from '../../src/live/declare';
import { deleteTopology } from '../../src/live/delete';
import { deriveTopology } from '../../src/model/derive';
import type { DesiredTopology } from '../../src/model/desired';
import { exportTopology } from '../../src/live/export';
import { loadTopologyFile } from '../../src/file/load';
import { ManagementClient } from '../../src/live/management';
import { policyPatternQueues } from '../../src/model/names';
import { parseTopology } from '../../src/file/parse';
import { policyOfQueue } from '../../src/model/policy-groups';
import { planTopology } from '../../src/live/plan';
import { policiesForBroker } from '../../src/live/policies-for-broker';
import type { TopologyInput } from '../../src/model/schema';
import { BrokerRefusedError, TopologyDriftError } from '../../src/live/errors';
import { connectOnce, managementUrlFor, splitUrls } from '@warren/core';
import { TopologyValidationError } from '../../src/file/validation-error';

// @warren/testing depends on this package, so this file talks to the broker directly (AMQP_URL or the local one).
// The jest global setup of @warren/testing sets both (a container's management port is not AMQP + 10000).
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const managementUrl = process.env.AMQP_MANAGEMENT_URL ?? managementUrlFor(splitUrls(amqpUrl)[0] as string);
const target = { amqpUrl, managementUrl };
const management = new ManagementClient(managementUrl);
const run = `warren-it-${randomBytes(3).toString('hex')}`;
const cleanup: DesiredTopology[] = [];
jest.setTimeout(60_000);

let connection: ChannelModel;
let channel: ConfirmChannel;

beforeAll(async () => {
  connection = await connect(splitUrls(amqpUrl)[0] as string);
  connection.on('error', () => undefined);
  channel = await connection.createConfirmChannel();
  channel.on('error', () => undefined);
});

afterAll(async () => {
  for (const desired of cleanup) await deleteTopology(desired, target);
  await connection.close();
});

/** The derived topology of a file; everything it declares is deleted after the suite. */
function derive(file: TopologyInput): DesiredTopology {
  const desired = deriveTopology(parseTopology(file));
  cleanup.push(desired);
  return desired;
}

/** The names of the live Warren policies whose pattern names `queue`. */
async function policiesNaming(queue: string): Promise<string[]> {
  const policies = await management.policies();
  return policies.filter((p) => policyPatternQueues(p.pattern)?.includes(queue)).map((p) => p.name);
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const liveQueue = async (name: string) =>
  (await management.queues(['name', 'type', 'arguments', 'policy', 'effective_policy_definition'])).find(
    (q) => q.name === name,
  );

async function publish(queue: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) channel.sendToQueue(queue, Buffer.from(`m${i}`), { persistent: true });
  await channel.waitForConfirms();
}

describe('applyTopology', () => {
  it('creates the whole derived topology, then a second apply changes nothing', async () => {
    const [orders, everything, billing, audit] = [`${run}-orders`, `${run}-all`, `${run}-billing`, `${run}-audit`];
    const desired = derive({
      exchanges: {
        [orders]: { type: 'topic' },
        [everything]: { type: 'fanout', bindings: [{ exchange: orders, routingKey: '#' }] }, // exchange-to-exchange
      },
      queues: {
        [billing]: {
          type: 'quorum',
          bindings: [{ exchange: orders, routingKey: 'order.*' }],
          retry: { delays: ['1s', '10s', '1m'] },
          limits: { maxLength: 1000 },
        },
        [audit]: { type: 'classic', bindings: [{ exchange: everything }], retry: { delays: [250] } },
      },
    });
    expect(desired.queues).toHaveLength(8); // billing: work, 3 tiers, dlq; audit: work, 1 tier, dlq
    expect(desired.bindings.filter((b) => b.destinationType === 'exchange')).toHaveLength(1);

    const first = await applyTopology(desired, target);
    expect(first.changed).toBe(true);
    const objects = desired.exchanges.length + desired.queues.length + desired.bindings.length;
    // 3.x gets no policy for the quorum DLQ (it refuses `delivery-limit: -1` and sets no default limit).
    const wantedPolicies = policiesForBroker(desired, first.plan.brokerVersion).policies;
    expect(first.counts.created).toBe(objects + wantedPolicies.length);

    const queues = await management.queues(['name', 'type', 'durable', 'arguments']);
    for (const spec of desired.queues) {
      expect(queues.find((q) => q.name === spec.name)).toMatchObject({
        type: spec.type,
        durable: true,
        arguments: spec.arguments,
      });
    }
    const exchanges = await management.exchanges();
    for (const spec of desired.exchanges) expect(exchanges.find((e) => e.name === spec.name)?.type).toBe(spec.type);
    const bindings = await management.bindings();
    for (const spec of desired.bindings) {
      expect(bindings).toContainEqual(
        expect.objectContaining({
          source: spec.source,
          destination: spec.destination,
          destination_type: spec.destinationType,
          routing_key: spec.routingKey,
        }),
      );
    }
    const policies = await management.policies();
    for (const spec of wantedPolicies) {
      expect(policies.find((p) => p.name === spec.name)).toMatchObject({ definition: spec.definition, priority: 100 });
    }
    const billingPolicy = policyOfQueue(desired.policies, billing)?.name;
    expect(billingPolicy).toMatch(/^warren\.[0-9a-f]{8}\.[0-9a-f]{8}$/);
    expect(
      (
        await poll(
          () => liveQueue(billing),
          (q) => q?.policy === billingPolicy,
        )
      )?.policy,
    ).toBe(billingPolicy);

    const second = await applyTopology(desired, target);
    expect(second.changed).toBe(false);
    expect(second.changes).toEqual([]);
    expect(second.counts).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: first.plan.items.length });
    expect(await planTopology(desired, target)).toMatchObject({ hasChanges: false, hasDrift: false });
  });

  it('changes maxLength and messageTtl through the policy, keeping the messages', async () => {
    const queue = `${run}-limits`;
    const file = (maxLength: number, messageTtl: string): TopologyInput => ({
      queues: { [queue]: { type: 'quorum', limits: { maxLength, messageTtl } } },
    });
    const original = derive(file(100, '10m'));
    await applyTopology(original, target);
    await publish(queue, 5);

    // Another definition is another policy (named after it): the new one is set, then the old one deleted.
    const changed = derive(file(50, '15m'));
    const [before, after] = [original.policies[0]!, changed.policies[0]!];
    const plan = await planTopology(changed, target);
    expect(plan.items.filter((i) => i.action !== 'unchanged')).toEqual([
      expect.objectContaining({ kind: 'policy', name: after.name, action: 'create', spec: after }),
      expect.objectContaining({ kind: 'policy', name: before.name, action: 'delete' }),
    ]);
    const result = await applyTopology(changed, target);
    expect(result.counts).toMatchObject({ created: 1, updated: 0, deleted: 1 });

    const live = await poll(
      () => liveQueue(queue),
      (q) => q?.effective_policy_definition?.['max-length'] === 50,
    );
    expect(live?.policy).toBe(after.name);
    expect(await policiesNaming(queue)).toEqual([after.name]);
    expect(live?.effective_policy_definition).toMatchObject({ 'max-length': 50, 'message-ttl': 900_000 });
    expect((await channel.checkQueue(queue)).messageCount).toBe(5);
    expect((await applyTopology(changed, target)).changed).toBe(false);
  });

  it('groups queues with the same limits in one policy and moves a queue whose limits change, keeping messages', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => `${run}-group-${name}`) as [string, string, string];
    const file = (maxLengthOfB: number): TopologyInput => ({
      queues: {
        [a]: { type: 'classic', limits: { maxLength: 10 } },
        [b]: { type: 'classic', limits: { maxLength: maxLengthOfB } },
        [c]: { type: 'classic', limits: { maxLength: 10 } },
      },
    });
    const grouped = derive(file(10));
    expect(grouped.policies.map((p) => p.queues)).toEqual([[a, b, c]]);
    await applyTopology(grouped, target);
    for (const queue of [a, b, c]) await publish(queue, 2);
    const group = grouped.policies[0]!.name;
    await poll(
      () => liveQueue(c),
      (q) => q?.policy === group,
    );

    const moved = derive(file(20));
    const result = await applyTopology(moved, target);
    expect(result.counts).toMatchObject({ created: 1, updated: 1, deleted: 0 });
    const own = policyOfQueue(moved.policies, b)!;
    const liveB = await poll(
      () => liveQueue(b),
      (q) => q?.policy === own.name,
    );
    expect(liveB).toMatchObject({ policy: own.name, effective_policy_definition: { 'max-length': 20 } });
    for (const queue of [a, c])
      expect(await liveQueue(queue)).toMatchObject({
        policy: group,
        effective_policy_definition: { 'max-length': 10 },
      });
    expect(await policiesNaming(b)).toEqual([own.name]);
    for (const queue of [a, b, c]) expect((await channel.checkQueue(queue)).messageCount).toBe(2);
    expect((await applyTopology(moved, target)).changed).toBe(false);
  });

  it('never lets two files sharing a vhost claim the same policy, even with the same limits', async () => {
    const [x, y] = [`${run}-file-x`, `${run}-file-y`];
    const fileX = derive({ queues: { [x]: { type: 'classic', limits: { maxLength: 7 } } } });
    const fileY = derive({ queues: { [y]: { type: 'classic', limits: { maxLength: 7 } } } });
    await applyTopology(fileX, target);
    const second = await applyTopology(fileY, target);
    expect(second.counts).toMatchObject({ updated: 0, deleted: 0 });
    expect(await planTopology(fileX, target)).toMatchObject({ hasChanges: false });
    expect(await policiesNaming(x)).toEqual([fileX.policies[0]!.name]);
    expect(await policiesNaming(y)).toEqual([fileY.policies[0]!.name]);
  });

  it('deletes the policy of a queue whose limits were removed, keeping the queue and its messages', async () => {
    const queue = `${run}-unlimited`;
    const limited = derive({ queues: { [queue]: { type: 'classic', limits: { maxLength: 10 } } } });
    await applyTopology(limited, target);
    await publish(queue, 3);
    const result = await applyTopology(derive({ queues: { [queue]: { type: 'classic' } } }), target);
    expect(result.changes).toEqual([
      expect.objectContaining({ kind: 'policy', name: limited.policies[0]!.name, action: 'delete' }),
    ]);
    expect(await policiesNaming(queue)).toEqual([]);
    expect((await channel.checkQueue(queue)).messageCount).toBe(3);
  });

  it('reports a changed queue type as drift with live and wanted values, and changes nothing', async () => {
    const queue = `${run}-drift`;
    await applyTopology(derive({ queues: { [queue]: { type: 'classic', retry: { delays: ['1s'] } } } }), target);
    await publish(queue, 1);
    const quorum = derive({ queues: { [queue]: { type: 'quorum', retry: { delays: ['1s'] } } } });

    const plan = await planTopology(quorum, target);
    expect(plan.hasDrift).toBe(true);
    expect(plan.items.find((i) => i.name === queue)).toMatchObject({
      kind: 'queue',
      action: 'drift',
      differences: [{ property: 'type', live: 'classic', wanted: 'quorum' }],
    });
    const error = await applyTopology(quorum, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyDriftError);
    expect(error).toMatchObject({ code: 'TOPOLOGY_DRIFT' });
    expect((error as Error).message).toContain(`queue '${queue}':\n    type: live "classic", wanted "quorum"`);
    expect((error as Error).message).toMatch(/new name.*move the messages/s);
    expect((await liveQueue(queue))?.type).toBe('classic');
    expect(await policiesNaming(queue)).toEqual([]);
    expect((await channel.checkQueue(queue)).messageCount).toBe(1);
  });

  it('dry run plans and changes nothing', async () => {
    const queue = `${run}-dry`;
    const desired = derive({ queues: { [queue]: { type: 'classic', limits: { maxLength: 5 } } } });
    const result = await applyTopology(desired, target, { dryRun: true });
    expect(result).toMatchObject({ dryRun: true, changed: false, changes: [] });
    expect(result.plan).toMatchObject({ hasChanges: true, hasDrift: false });
    expect(result.plan.counts.create).toBe(5); // queue, dlq, dlx, binding, policy
    expect(await liveQueue(queue)).toBeUndefined();
  });

  it('turns a refused declare into a typed error naming the object, argument, live and wanted values', async () => {
    const queue = `${run}-refused`;
    const desired = derive({ queues: { [queue]: { type: 'classic', deadLetter: false } } });
    // Created behind the plan's back (between plan and declare): the broker's 406 is what apply then sees.
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic', 'x-max-priority': 5 } });
    const model = await connectOnce(splitUrls(amqpUrl), 'warren-topology');
    const error = await runTasks(model, [declareQueue(desired.queues[0]!)])
      .catch((e: unknown) => e)
      .finally(() => model.close());
    expect(error).toBeInstanceOf(BrokerRefusedError);
    expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', replyCode: 406, object: `queue '${queue}'` });
    expect((error as Error).message).toMatch(/x-max-priority = (\S+) .*wants/);
  });

  it('reports a connection lost mid-apply as BROKER_CONNECTION_LOST, and a rerun completes', async () => {
    const queues = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`${run}-lost-${i}`, { type: 'classic' as const, deadLetter: false }]),
    );
    const desired = derive({ queues });
    const model = await connectOnce(splitUrls(amqpUrl), 'warren-topology');
    const running = runTasks(model, desired.queues.map(declareQueue)).catch((e: unknown) => e);
    await model.close();
    expect(await running).toMatchObject({ code: 'BROKER_CONNECTION_LOST' });
    await applyTopology(desired, target);
    expect((await planTopology(desired, target)).hasChanges).toBe(false);
  });

  it('applies policies as a policymaker user, who may not import definitions', async () => {
    const user = `${run}-policymaker`;
    const password = randomBytes(8).toString('hex');
    await management.request('PUT', management.path('/api/users/{user}', user), { password, tags: 'policymaker' });
    try {
      const all = { configure: '.*', write: '.*', read: '.*' };
      await management.request('PUT', management.path('/api/permissions/{vhost}/{user}', '/', user), all);
      const as = (text: string) => Object.assign(new URL(text), { username: user, password }).toString();
      const queue = `${run}-policymaker`;
      const file = (maxLength: number) => derive({ queues: { [queue]: { type: 'classic', limits: { maxLength } } } });
      const limited = { amqpUrl: as(splitUrls(amqpUrl)[0] as string), managementUrl: as(managementUrl) };
      expect((await applyTopology(file(10), limited)).counts.created).toBe(5);
      expect((await applyTopology(file(20), limited)).counts).toMatchObject({ created: 1, deleted: 1 });
      const names = await policiesNaming(queue);
      expect(names).toHaveLength(1);
      const policy = (await management.policies()).find((p) => p.name === names[0]);
      expect(policy?.definition).toEqual({ 'max-length': 20 });
    } finally {
      await management.request('DELETE', management.path('/api/users/{user}', user));
    }
  });

  it('exports the live vhost as a file whose apply is a no-op', async () => {
    // A vhost of its own: an export is the whole vhost, and on the shared one other suites' queues with the same
    // limits would be regrouped with these (same limits, other policies: not a no-op, by design).
    const vhost = `${run}-export`;
    await management.request('PUT', management.path('/api/vhosts/{vhost}', vhost), {});
    try {
      const user = new URL(managementUrl).username || 'guest';
      const all = { configure: '.*', write: '.*', read: '.*' };
      await management.request('PUT', management.path('/api/permissions/{vhost}/{user}', vhost, user), all);
      const [events, worker] = [`${run}-events`, `${run}-worker`];
      const others = Object.fromEntries(
        Array.from({ length: 3 }, (_, i) => [
          `${run}-same-${i}`,
          { type: 'classic' as const, limits: { maxLength: 9 } },
        ]),
      );
      const desired = deriveTopology(
        parseTopology({
          exchanges: { [events]: { type: 'direct' } },
          queues: {
            ...others,
            [worker]: {
              bindings: [{ exchange: events, routingKey: 'a' }],
              retry: { delays: ['500ms', '5s'] },
              limits: { maxLength: 20, deliveryLimit: 5 },
            },
          },
        }),
      );
      const inVhost = { ...target, vhost };
      await applyTopology(desired, inVhost);
      const exported = await exportTopology(inVhost);
      expect(exported.queues?.[worker]).toEqual({
        type: 'quorum',
        bindings: [{ exchange: events, routingKey: 'a' }],
        retry: { delays: ['500ms', '5s'] },
        limits: { maxLength: 20, deliveryLimit: 5 },
      });
      expect(exported.queues?.[`${run}-same-1`]).toEqual({ type: 'classic', limits: { maxLength: 9 } });
      expect(exported.queues?.[`${worker}.retry.5s`]).toBeUndefined();
      const roundTrip = deriveTopology(parseTopology(exported));
      const result = await applyTopology(roundTrip, inVhost);
      expect(result.changes).toEqual([]);
      expect(roundTrip.queues.map((q) => q.name).sort()).toEqual(desired.queues.map((q) => q.name).sort());
    } finally {
      await management.request('DELETE', management.path('/api/vhosts/{vhost}', vhost));
    }
  });

  it('rejects an invalid file before any broker call, with the path and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'warren-apply-'));
    const path = join(dir, 'topology.yaml');
    await writeFile(path, `queues:\n  ${run}-invalid:\n    type: quorum\n    limits:\n      maxLength: lots\n`);
    const error = await loadTopologyFile(path).catch((e: unknown) => e);
    await rm(dir, { recursive: true });
    expect(error).toBeInstanceOf(TopologyValidationError);
    expect((error as TopologyValidationError).issues[0]).toMatchObject({ line: 5 });
    expect((error as Error).message).toContain('maxLength');
    expect(await liveQueue(`${run}-invalid`)).toBeUndefined();
  });

  it('reports a missing vhost and refused credentials, without printing the password', async () => {
    const desired = derive({ queues: {} });
    const missing = await planTopology(desired, { ...target, vhost: `${run}-nope` }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'MANAGEMENT_API_ERROR', status: 404 });
    expect((missing as Error).message).toContain(`vhost '${run}-nope' does not exist`);
    const withWrongPassword = (text: string) => Object.assign(new URL(text), { password: 'not-the-password-s3cret' });
    const refused = await applyTopology(desired, {
      amqpUrl: withWrongPassword(splitUrls(amqpUrl)[0] as string).toString(),
      managementUrl: withWrongPassword(managementUrl).toString(),
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'MANAGEMENT_API_ERROR', status: 401 });
    expect((refused as Error).message).not.toContain('s3cret');
  });

  it('deleteTopology removes every declared object and policy, and is idempotent', async () => {
    const queue = `${run}-delete`;
    const desired = derive({ queues: { [queue]: { type: 'quorum', retry: { delays: ['1s'] } } } });
    await applyTopology(desired, target);
    await deleteTopology(desired, target);
    const queues = (await management.queues(['name'])).map((q) => q.name);
    for (const spec of desired.queues) expect(queues).not.toContain(spec.name);
    expect(await policiesNaming(queue)).toEqual([]);
    const plan = await planTopology(desired, target);
    expect(plan.counts.create).toBe(plan.items.length);
    await deleteTopology(desired, target);
  });
});
