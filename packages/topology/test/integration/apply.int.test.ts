import { randomBytes } from 'node:crypto';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { applyTopology } from '../../src/apply';
import { declareQueue, openAmqp, runTasks } from '../../src/declare';
import { deleteTopology } from '../../src/delete';
import type { DesiredTopology } from '../../src/desired';
import { ManagementClient } from '../../src/management';
import { planTopology } from '../../src/plan';
import { BrokerRefusedError, TopologyDriftError } from '../../src/topology-errors';
import { managementUrlFor } from '../../src/url';
import { desiredByHand, type WorkQueueInput } from '../desired-by-hand';

// @warren/testing depends on this package, so this file talks to the broker directly (AMQP_URL or the local one).
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const target = { amqpUrl };
const management = new ManagementClient(managementUrlFor(amqpUrl.split(',')[0] as string));
const prefix = `warren-it-${randomBytes(3).toString('hex')}`;
const cleanup: DesiredTopology[] = [];
jest.setTimeout(60_000);

let connection: ChannelModel;
let channel: ConfirmChannel;

beforeAll(async () => {
  connection = await connect(amqpUrl.split(',')[0] as string);
  connection.on('error', () => undefined);
  channel = await connection.createConfirmChannel();
  channel.on('error', () => undefined);
});

afterAll(async () => {
  for (const desired of cleanup) await deleteTopology(desired, target);
  await connection.close();
});

/** A desired topology with unique names, deleted after the suite. */
function topology(name: string, inputs: Omit<WorkQueueInput, 'name'>[]): DesiredTopology {
  const desired = desiredByHand(inputs.map((input, i) => ({ ...input, name: `${prefix}-${name}-${i}` })));
  cleanup.push(desired);
  return desired;
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
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

describe('applyTopology', () => {
  it('creates the whole derived topology, then a second apply changes nothing', async () => {
    const desired = topology('full', [
      { type: 'quorum', exchange: `${prefix}-orders`, routingKey: 'order.*', delays: [1000, 10_000, 60_000] },
      { type: 'classic', exchange: `${prefix}-orders`, delays: [250], limits: { 'max-length': 10 } },
    ]);
    const first = await applyTopology(desired, target);
    expect(first.changed).toBe(true);
    expect(first.counts.created).toBe(desired.exchanges.length + desired.queues.length + desired.bindings.length + 1);

    const queues = await management.queues(['name', 'type', 'durable', 'arguments']);
    for (const spec of desired.queues) {
      const live = queues.find((q) => q.name === spec.name);
      expect(live).toMatchObject({ type: spec.type, durable: true, arguments: spec.arguments });
    }
    const exchanges = await management.exchanges();
    for (const spec of desired.exchanges) expect(exchanges.find((e) => e.name === spec.name)?.type).toBe(spec.type);
    const bindings = await management.bindings();
    for (const spec of desired.bindings) {
      expect(bindings).toContainEqual(
        expect.objectContaining({ source: spec.source, destination: spec.destination, routing_key: spec.routingKey }),
      );
    }
    const policy = (await management.policies()).find((p) => p.name === desired.policies[0]?.name);
    expect(policy?.definition).toEqual({ 'max-length': 10 });

    const second = await applyTopology(desired, target);
    expect(second.changed).toBe(false);
    expect(second.changes).toEqual([]);
    expect(second.counts).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: first.plan.items.length });
    const plan = await planTopology(desired, target);
    expect(plan.hasChanges).toBe(false);
    expect(plan.hasDrift).toBe(false);
  });

  it('changes maxLength and messageTtl through the policy, keeping the messages', async () => {
    const desired = topology('limits', [{ type: 'quorum', limits: { 'max-length': 100, 'message-ttl': 600_000 } }]);
    await applyTopology(desired, target);
    const queue = desired.workQueues[0]?.queue as string;
    for (let i = 0; i < 5; i++) channel.sendToQueue(queue, Buffer.from(`m${i}`), { persistent: true });
    await channel.waitForConfirms();

    const changedPolicy = { ...desired.policies[0]!, definition: { 'max-length': 50, 'message-ttl': 900_000 } };
    const changed: DesiredTopology = { ...desired, policies: [changedPolicy] };
    const plan = await planTopology(changed, target);
    expect(plan.items.find((i) => i.kind === 'policy')).toMatchObject({
      action: 'update',
      differences: [
        { property: 'definition.max-length', live: 100, wanted: 50 },
        { property: 'definition.message-ttl', live: 600_000, wanted: 900_000 },
      ],
    });
    const result = await applyTopology(changed, target);
    expect(result.counts).toMatchObject({ created: 0, updated: 1, deleted: 0 });

    const live = await poll(
      () => liveQueue(queue),
      (q) => q?.effective_policy_definition?.['max-length'] === 50,
    );
    expect(live?.policy).toBe(changedPolicy.name);
    expect(live?.effective_policy_definition).toMatchObject({ 'max-length': 50, 'message-ttl': 900_000 });
    expect((await channel.checkQueue(queue)).messageCount).toBe(5);

    // Removing the limits from the file deletes the policy; the queue and its messages stay.
    const removed = await applyTopology({ ...desired, policies: [] }, target);
    expect(removed.changes).toEqual([expect.objectContaining({ kind: 'policy', action: 'delete' })]);
    expect((await management.policies()).map((p) => p.name)).not.toContain(changedPolicy.name);
    expect((await channel.checkQueue(queue)).messageCount).toBe(5);
  });

  it('reports a changed queue type as drift with live and wanted values, and changes nothing', async () => {
    const desired = topology('drift', [{ type: 'classic', delays: [1000] }]);
    await applyTopology(desired, target);
    const queue = desired.workQueues[0]?.queue as string;
    channel.sendToQueue(queue, Buffer.from('keep me'), { persistent: true });
    await channel.waitForConfirms();
    const quorum = desiredByHand([{ name: queue, type: 'quorum', delays: [1000] }]);

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
    expect((await channel.checkQueue(queue)).messageCount).toBe(1);
  });

  it('dry run plans and changes nothing', async () => {
    const desired = topology('dry', [{ type: 'classic', limits: { 'max-length': 5 } }]);
    const result = await applyTopology(desired, target, { dryRun: true });
    expect(result).toMatchObject({ dryRun: true, changed: false, changes: [] });
    expect(result.plan.hasChanges).toBe(true);
    expect(result.plan.counts.create).toBe(5); // queue, dlq, dlx, binding, policy
    expect(await liveQueue(desired.workQueues[0]?.queue as string)).toBeUndefined();
  });

  it('turns a refused declare into a typed error naming the object, argument, live and wanted values', async () => {
    const desired = topology('refused', [{ type: 'classic', deadLetter: false }]);
    const queue = desired.queues[0]!.name;
    // Created behind the plan's back (between plan and declare): the broker's 406 is what apply sees.
    const plan = await planTopology(desired, target);
    await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic', 'x-max-priority': 5 } });
    const model = await openAmqp([amqpUrl]);
    const error = await runTasks(model, [declareQueue(plan.items[0]!.spec as (typeof desired.queues)[0])])
      .catch((e: unknown) => e)
      .finally(() => model.close());
    expect(error).toBeInstanceOf(BrokerRefusedError);
    expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', replyCode: 406, object: `queue '${queue}'` });
    expect((error as Error).message).toContain(`x-max-priority`);
  });

  it('deleteTopology removes every declared object and policy', async () => {
    const desired = topology('delete', [{ type: 'quorum', delays: [1000], limits: { 'max-length': 5 } }]);
    await applyTopology(desired, target);
    await deleteTopology(desired, target);
    const queues = (await management.queues(['name'])).map((q) => q.name);
    for (const spec of desired.queues) expect(queues).not.toContain(spec.name);
    expect((await management.policies()).map((p) => p.name)).not.toContain(desired.policies[0]?.name);
    const plan = await planTopology(desired, target);
    expect(plan.counts.create).toBe(plan.items.length);
    await deleteTopology(desired, target); // idempotent
  });
});
