import { deriveTopology } from '../src/model/derive';
import { diffTopology } from '../src/live/diff';
import { topologyFromLive } from '../src/live/export';
import type { LiveQueue } from '../src/live/management';
import { parseTopology } from '../src/file/parse';
import type { TopologyInput } from '../src/model/schema';
import { liveOf } from './live-of';

const file: TopologyInput = {
  exchanges: {
    orders: { type: 'topic' },
    audit: { type: 'fanout', bindings: [{ exchange: 'orders', routingKey: '#' }] },
  },
  queues: {
    billing: {
      type: 'quorum',
      bindings: [{ exchange: 'orders', routingKey: 'order.created' }],
      retry: { delays: ['1s', '10s', '1m'] },
      limits: { maxLength: 10_000, messageTtl: '1h' },
    },
    'billing.audit': {
      type: 'classic',
      bindings: [{ exchange: 'audit' }],
      deadLetter: false,
      retry: { delays: [250] },
    },
    plain: {
      type: 'classic',
      limits: { maxLength: 5, overflow: 'reject-publish' },
      arguments: { 'x-max-priority': 3 },
    },
  },
};

describe('topologyFromLive (export)', () => {
  for (const version of ['3.10.8', '4.3.6']) {
    it(`exports what apply made as a file whose apply is a no-op (${version})`, () => {
      const live = liveOf(deriveTopology(parseTopology(file)), version);
      const exported = topologyFromLive(live);
      const plan = diffTopology(deriveTopology(parseTopology(exported)), live, { vhost: '/' });
      expect(plan.items.filter((i) => i.action !== 'unchanged')).toEqual([]);
      expect(plan.extra).toEqual([]);
    });
  }

  it('folds tiers, dead-letter objects and the policy back into the work queue', () => {
    const exported = topologyFromLive(liveOf(deriveTopology(parseTopology(file))));
    expect(Object.keys(exported.queues ?? {})).toEqual(['billing', 'billing.audit', 'plain']);
    expect(Object.keys(exported.exchanges ?? {})).toEqual(['audit', 'orders']);
    expect(exported.queues?.billing).toEqual({
      type: 'quorum',
      bindings: [{ exchange: 'orders', routingKey: 'order.created' }],
      retry: { delays: ['1s', '10s', '1m'] },
      limits: { maxLength: 10_000, messageTtl: '1h' },
    });
    expect(exported.queues?.plain).toEqual({
      type: 'classic',
      limits: { maxLength: 5, overflow: 'reject-publish' },
      arguments: { 'x-max-priority': 3 },
    });
    expect(exported.exchanges?.audit).toEqual({ type: 'fanout', bindings: [{ exchange: 'orders', routingKey: '#' }] });
  });

  it('folds a grouped policy back into each queue it names, and a per-queue policy from before grouping', () => {
    const grouped: TopologyInput = {
      queues: Object.fromEntries(
        Array.from({ length: 200 }, (_, i) => [
          `svc.a-longer-queue-name.q${i}`,
          { type: 'classic', limits: { maxLength: i % 2 ? 5 : 6 } },
        ]),
      ),
    };
    const desired = deriveTopology(parseTopology(grouped));
    expect(desired.policies.length).toBeGreaterThan(2);
    const live = liveOf(desired, '4.3.6');
    const exported = topologyFromLive(live);
    expect(exported.queues?.['svc.a-longer-queue-name.q7']).toEqual({ type: 'classic', limits: { maxLength: 5 } });
    expect(exported.queues?.['svc.a-longer-queue-name.q8']).toEqual({ type: 'classic', limits: { maxLength: 6 } });
    const plan = diffTopology(deriveTopology(parseTopology(exported)), live, { vhost: '/' });
    expect(plan.hasChanges).toBe(false);

    const legacy = {
      ...live.policies[0]!,
      name: 'warren.svc.a-longer-queue-name.q7',
      pattern: '^svc\\.a-longer-queue-name\\.q7$',
      priority: 200,
    };
    legacy.definition = { 'max-length': 9 };
    const fromLegacy = topologyFromLive({ ...live, policies: [...live.policies, legacy] });
    expect(fromLegacy.queues?.['svc.a-longer-queue-name.q7']).toEqual({ type: 'classic', limits: { maxLength: 9 } });
  });

  it('exports a tier that is not what Warren derives as a queue of its own', () => {
    const live = liveOf(deriveTopology(parseTopology(file)));
    const tier = live.queues.find((q) => q.name === 'billing.retry.10s') as LiveQueue;
    tier.arguments = { ...tier.arguments, 'x-message-ttl': 5000 };
    const exported = topologyFromLive(live);
    expect(exported.queues?.billing?.retry).toEqual({ delays: ['1s', '1m'] });
    expect(exported.queues?.['billing.retry.10s']).toMatchObject({ type: 'quorum', deadLetter: false });
  });
});

describe('topologyFromLive with a filter (export --prefix / --queue)', () => {
  const live = liveOf(deriveTopology(parseTopology(file)));

  it('keeps only the queues named, and the exchanges they are bound through', () => {
    const exported = topologyFromLive(live, { queues: ['billing.audit'] });
    expect(Object.keys(exported.queues ?? {})).toEqual(['billing.audit']);
    expect(Object.keys(exported.exchanges ?? {}).sort()).toEqual(['audit', 'orders']);
  });

  it('keeps the queues whose name starts with the prefix', () => {
    const exported = topologyFromLive(live, { prefix: 'pl' });
    expect(Object.keys(exported.queues ?? {})).toEqual(['plain']);
    expect(exported.exchanges).toEqual({});
  });
});
