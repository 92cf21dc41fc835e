import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { applyTopology } from '../../src/apply';
import { declareQueue, openAmqp, runTasks } from '../../src/declare';
import { deleteTopology } from '../../src/delete';
import { deriveTopology } from '../../src/derive';
import type { DesiredTopology } from '../../src/desired';
import { exportTopology } from '../../src/export';
import { loadTopologyFile } from '../../src/load';
import { ManagementClient } from '../../src/management';
import { parseTopology } from '../../src/parse';
import { planTopology } from '../../src/plan';
import type { TopologyInput } from '../../src/schema';
import { BrokerRefusedError, TopologyDriftError } from '../../src/topology-errors';
import { managementUrlFor, splitUrls } from '../../src/url';
import { TopologyValidationError } from '../../src/validation-error';

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
    expect(first.counts.created).toBe(objects + desired.policies.length);

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
    for (const spec of desired.policies) {
      expect(policies.find((p) => p.name === spec.name)).toMatchObject({ definition: spec.definition, priority: 100 });
    }
    expect(
      (
        await poll(
          () => liveQueue(billing),
          (q) => q?.policy === `warren.${billing}`,
        )
      )?.policy,
    ).toBe(`warren.${billing}`);

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
    await applyTopology(derive(file(100, '10m')), target);
    await publish(queue, 5);

    const changed = derive(file(50, '15m'));
    const plan = await planTopology(changed, target);
    expect(plan.items.filter((i) => i.action !== 'unchanged')).toEqual([
      expect.objectContaining({
        kind: 'policy',
        name: `warren.${queue}`,
        action: 'update',
        differences: [
          { property: 'definition.max-length', live: 100, wanted: 50 },
          { property: 'definition.message-ttl', live: 600_000, wanted: 900_000 },
        ],
      }),
    ]);
    const result = await applyTopology(changed, target);
    expect(result.counts).toMatchObject({ created: 0, updated: 1, deleted: 0 });

    const live = await poll(
      () => liveQueue(queue),
      (q) => q?.effective_policy_definition?.['max-length'] === 50,
    );
    expect(live?.policy).toBe(`warren.${queue}`);
    expect(live?.effective_policy_definition).toMatchObject({ 'max-length': 50, 'message-ttl': 900_000 });
    expect((await channel.checkQueue(queue)).messageCount).toBe(5);
    expect((await applyTopology(changed, target)).changed).toBe(false);
  });

  it('deletes the policy of a queue whose limits were removed, keeping the queue and its messages', async () => {
    const queue = `${run}-unlimited`;
    const limited = derive({ queues: { [queue]: { type: 'classic', limits: { maxLength: 10 } } } });
    await applyTopology(limited, target);
    await publish(queue, 3);
    const result = await applyTopology(derive({ queues: { [queue]: { type: 'classic' } } }), target);
    expect(result.changes).toEqual([
      expect.objectContaining({ kind: 'policy', name: `warren.${queue}`, action: 'delete' }),
    ]);
    expect((await management.policies()).map((p) => p.name)).not.toContain(`warren.${queue}`);
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
    expect((await management.policies()).map((p) => p.name)).not.toContain(`warren.${queue}`);
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
    const model = await openAmqp(splitUrls(amqpUrl));
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
    const model = await openAmqp(splitUrls(amqpUrl));
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
      expect((await applyTopology(file(20), limited)).counts.updated).toBe(1);
      const policy = (await management.policies()).find((p) => p.name === `warren.${queue}`);
      expect(policy?.definition).toEqual({ 'max-length': 20 });
    } finally {
      await management.request('DELETE', management.path('/api/users/{user}', user));
    }
  });

  it('exports the live vhost as a file whose apply is a no-op', async () => {
    const [events, worker] = [`${run}-events`, `${run}-worker`];
    const desired = derive({
      exchanges: { [events]: { type: 'direct' } },
      queues: {
        [worker]: {
          bindings: [{ exchange: events, routingKey: 'a' }],
          retry: { delays: ['500ms', '5s'] },
          limits: { maxLength: 20, deliveryLimit: 5 },
        },
      },
    });
    await applyTopology(desired, target);
    const exported = await exportTopology(target);
    expect(exported.queues?.[worker]).toEqual({
      type: 'quorum',
      bindings: [{ exchange: events, routingKey: 'a' }],
      retry: { delays: ['500ms', '5s'] },
      limits: { maxLength: 20, deliveryLimit: 5 },
    });
    expect(exported.queues?.[`${worker}.retry.5s`]).toBeUndefined();
    // The vhost is shared with other suites: round-trip this suite's objects.
    const mine = (record: Record<string, unknown> = {}) =>
      Object.fromEntries(Object.entries(record).filter(([name]) => name.startsWith(run)));
    const roundTrip = deriveTopology(
      parseTopology({ exchanges: mine(exported.exchanges), queues: mine(exported.queues) }),
    );
    const result = await applyTopology(roundTrip, target);
    expect(result.changes).toEqual([]);
    expect(roundTrip.queues.map((q) => q.name)).toEqual(expect.arrayContaining(desired.queues.map((q) => q.name)));
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
    expect((await management.policies()).map((p) => p.name)).not.toContain(`warren.${queue}`);
    const plan = await planTopology(desired, target);
    expect(plan.counts.create).toBe(plan.items.length);
    await deleteTopology(desired, target);
  });
});
