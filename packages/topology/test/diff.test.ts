import { deriveTopology } from '../src/model/derive';
import { diffTopology } from '../src/live/diff';
import { policyApplyTo } from '../src/live/policy-body';
import type { LiveTopology } from '../src/live/read';
import type { LiveQueue } from '../src/live/management';
import { parseTopology } from '../src/file/parse';
import { liveOf as liveOfDesired } from './live-of';

const desired = deriveTopology(
  parseTopology({
    exchanges: { shop: { type: 'topic' } },
    queues: {
      orders: {
        type: 'quorum',
        bindings: [{ exchange: 'shop', routingKey: 'order.*' }],
        retry: { delays: ['1s'] },
        limits: { maxLength: 10 },
      },
    },
  }),
);
const [work, tier, dlq] = desired.queues;

const liveOf = (version = '3.10.8') => liveOfDesired(desired, version);

const plan = (live: LiveTopology, prunePolicies = false) => diffTopology(desired, live, { vhost: '/', prunePolicies });
const item = (live: LiveTopology, name: string) => plan(live).items.find((i) => i.name === name);

describe('diffTopology', () => {
  it('plans everything as create on an empty vhost', () => {
    const result = plan({ brokerVersion: '3.10.8', exchanges: [], queues: [], bindings: [], policies: [] });
    expect(result.items.every((i) => i.action === 'create')).toBe(true);
    expect(result.counts.create).toBe(2 + 3 + 2 + 1);
    expect(result).toMatchObject({ hasChanges: true, hasDrift: false });
  });

  it('plans nothing when live equals wanted, on 3.10 and 4.x', () => {
    for (const version of ['3.10.8', '3.12.0', '4.3.6']) {
      const result = plan(liveOf(version));
      expect(result).toMatchObject({ hasChanges: false, hasDrift: false, extra: [] });
      expect(result.counts.unchanged).toBe(result.items.length);
    }
  });

  it('reports a different queue type as drift with live and wanted values', () => {
    const live = liveOf();
    const queue = live.queues[0] as LiveQueue;
    Object.assign(queue, { type: 'classic', arguments: { ...queue.arguments, 'x-queue-type': 'classic' } });
    expect(item(live, work!.name)).toMatchObject({
      action: 'drift',
      differences: [{ property: 'type', live: 'classic', wanted: 'quorum' }],
    });
    expect(plan(live)).toMatchObject({ hasDrift: true });
  });

  it('reports a changed, missing or extra x-argument and durability as drift', () => {
    const live = liveOf();
    const queue = live.queues[1] as LiveQueue;
    queue.durable = false;
    queue.arguments = { ...queue.arguments, 'x-message-ttl': 2000, 'x-max-priority': 5 };
    delete queue.arguments['x-overflow'];
    expect(item(live, tier!.name)?.differences).toEqual([
      { property: 'durable', live: false, wanted: true },
      { property: 'x-max-priority', live: 5, wanted: undefined },
      { property: 'x-message-ttl', live: 2000, wanted: 1000 },
      { property: 'x-overflow', live: undefined, wanted: 'reject-publish' },
    ]);
  });

  it('compares normalised arguments: "1000" is 1000 for an integer key, not for an unknown one', () => {
    const live = liveOf();
    (live.queues[1] as LiveQueue).arguments['x-message-ttl'] = '1000';
    expect(item(live, tier!.name)?.action).toBe('unchanged');
    (live.queues[1] as LiveQueue).arguments['x-custom'] = '1000';
    expect(item(live, tier!.name)?.differences).toEqual([{ property: 'x-custom', live: '1000', wanted: undefined }]);
  });

  it('treats a classic queue declared without x-queue-type as classic', () => {
    const classic = deriveTopology(parseTopology({ queues: { c: { type: 'classic', deadLetter: false } } }));
    const live: LiveTopology = {
      ...liveOf(),
      queues: [{ name: 'c', vhost: '/', type: 'classic', durable: true, auto_delete: false, arguments: {} }],
    };
    expect(diffTopology(classic, live, { vhost: '/' }).items[0]?.action).toBe('unchanged');
  });

  it('reports a changed exchange type as drift', () => {
    const live = liveOf();
    live.exchanges[0]!.type = 'direct';
    expect(item(live, 'shop')).toMatchObject({
      action: 'drift',
      differences: [{ property: 'type', live: 'direct', wanted: 'topic' }],
    });
  });

  it('plans a changed policy definition, priority or apply-to as an update, never drift', () => {
    const live = liveOf();
    const policy = live.policies[0]!;
    Object.assign(policy, { definition: { ...policy.definition, 'max-length': 20 }, priority: 0, 'apply-to': 'all' });
    expect(item(live, policy.name)).toMatchObject({
      action: 'update',
      differences: [
        { property: 'apply-to', live: 'all', wanted: 'queues' },
        { property: 'priority', live: 0, wanted: 100 },
        { property: 'definition.max-length', live: 20, wanted: 10 },
      ],
    });
    expect(plan(live)).toMatchObject({ hasChanges: true, hasDrift: false });
  });

  it('deletes a Warren policy naming only queues of the file; keeps the others, reporting those that match its queues', () => {
    const live = liveOf();
    const policy = live.policies[0]!;
    live.policies.push(
      { ...policy, name: 'warren.orders', pattern: '^orders$' }, // one policy per queue, from before grouping
      { ...policy, name: 'warren.old', pattern: `^(?:orders|${dlq!.name.replace('.', '\\.')})$` },
      { ...policy, name: 'warren.elsewhere', pattern: '^(?:elsewhere)$' },
      { ...policy, name: 'warren.regex', pattern: '^orders.*$' },
      { ...policy, name: 'operator-policy', pattern: '^(?:orders)$' },
    );
    const result = plan(live);
    const deleted = (r: typeof result) => r.items.filter((i) => i.action === 'delete').map((i) => i.name);
    expect(deleted(result)).toEqual(['warren.orders', 'warren.old']);
    // Another application's policy in a shared vhost (naming none of the file's queues) is not related to the file.
    expect(result.extra).toEqual([{ kind: 'policy', name: 'warren.regex' }]);
    expect(deleted(plan(live, true))).toEqual(['warren.orders', 'warren.old', 'warren.elsewhere', 'warren.regex']);
  });

  it('trims a stale Warren policy naming queues of the file and others down to the others', () => {
    const live = liveOf('4.3.6');
    const policy = live.policies[0]!;
    live.policies.push({ ...policy, name: 'warren.mixed', pattern: '^(?:gone|orders|zed)$' });
    const result = plan(live);
    expect(result.items.find((i) => i.name === 'warren.mixed')).toMatchObject({
      action: 'update',
      differences: [{ property: 'pattern', live: '^(?:gone|orders|zed)$', wanted: '^(?:gone|zed)$' }],
      spec: { queues: ['gone', 'zed'], queueType: 'quorum', definition: policy.definition },
    });
    expect(result.extra).toEqual([]);
    expect(plan(live, true).items.find((i) => i.name === 'warren.mixed')?.action).toBe('delete');
  });

  it('keeps the queues outside the file that a wanted policy names live, unless pruning', () => {
    const live = liveOf();
    const policy = live.policies[0]!;
    policy.pattern = '^(?:orders|removed\\.queue)$';
    expect(item(live, policy.name)).toMatchObject({
      action: 'unchanged',
      spec: { queues: ['orders', 'removed.queue'] },
    });
    // Unless another Warren policy names it (it moved to another file).
    live.policies.push({ ...policy, name: 'warren.other-file', pattern: '^(?:removed\\.queue)$' });
    expect(item(live, policy.name)).toMatchObject({ action: 'update', spec: { queues: ['orders'] } });
    live.policies.pop();
    expect(plan(live, true).items.find((i) => i.name === policy.name)).toMatchObject({
      action: 'update',
      differences: [{ property: 'pattern', live: '^(?:orders|removed\\.queue)$', wanted: '^(?:orders)$' }],
    });
  });

  it('moves a queue whose limits change to another policy and leaves its old group to the others', () => {
    const file = (limitsOfB: Record<string, unknown>) =>
      deriveTopology(
        parseTopology({
          queues: {
            a: { type: 'classic', limits: { maxLength: 10 } },
            b: { type: 'classic', limits: limitsOfB },
            c: { type: 'classic', limits: { maxLength: 10 } },
          },
        }),
      );
    const before = file({ maxLength: 10 });
    const after = file({ maxLength: 20 });
    const result = diffTopology(after, liveOfDesired(before), { vhost: '/' });
    const policies = result.items.filter((i) => i.kind === 'policy');
    // The group keeps its name (its first queue stays): updated in place, so a and c never lose their limits.
    expect(policies.map((i) => [i.action, i.spec?.queues, i.differences.map((d) => d.property)])).toEqual([
      ['update', ['a', 'c'], ['pattern']],
      ['create', ['b'], []],
    ]);
    expect(diffTopology(after, liveOfDesired(after), { vhost: '/' }).hasChanges).toBe(false);
  });

  it('creates a missing binding and reports a live binding the file does not declare', () => {
    const live = liveOf();
    live.bindings[0]!.routing_key = 'order.created';
    const result = plan(live);
    expect(result.items.find((i) => i.kind === 'binding' && i.action === 'create')?.name).toBe(
      'shop -> orders [order.*]',
    );
    expect(result.extra).toEqual([{ kind: 'binding', name: 'shop -> orders [order.created]' }]);
  });
});

describe('policyApplyTo', () => {
  it('uses `queues` before RabbitMQ 3.12 and the queue type from 3.12 on', () => {
    expect(policyApplyTo('3.10.8', 'quorum')).toBe('queues');
    expect(policyApplyTo('3.11.28', 'classic')).toBe('queues');
    expect(policyApplyTo('3.12.0', 'quorum')).toBe('quorum_queues');
    expect(policyApplyTo('4.3.6', 'classic')).toBe('classic_queues');
  });
});
