import { diffTopology } from '../src/live/diff';
import { topologyFromLive } from '../src/live/export';
import { policyBody } from '../src/live/policy-body';
import { parseTopology } from '../src/file/parse';
import { deriveTopology } from '../src/model/derive';
import { NO_DELIVERY_LIMIT } from '../src/model/dead-letter-policy';
import { policyOfQueue } from '../src/model/policy-groups';
import type { TopologyInput } from '../src/model/schema';
import { liveOf } from './live-of';

const file: TopologyInput = {
  queues: {
    orders: { type: 'quorum', retry: { delays: ['1s'] } },
    payments: { type: 'quorum', limits: { maxLength: 10 } },
    mails: { type: 'classic' },
    audit: { type: 'quorum', deadLetter: false },
  },
};
const desired = deriveTopology(parseTopology(file));

/** What an apply before dead-letter queue policies left behind: every object, no DLQ policy. */
function liveBeforeTheFix(version: string) {
  const live = liveOf(desired, version);
  return { ...live, policies: live.policies.filter((p) => !p.pattern.includes('dlq')) };
}

describe('the policy of quorum dead-letter queues', () => {
  it('gives every quorum dead-letter queue, and only those, no delivery limit in one grouped policy', () => {
    const policy = policyOfQueue(desired.policies, 'orders.dlq');
    expect(policy).toMatchObject({
      queues: ['orders.dlq', 'payments.dlq'],
      pattern: '^(?:orders\\.dlq|payments\\.dlq)$',
      queueType: 'quorum',
      priority: 100,
      definition: { 'delivery-limit': NO_DELIVERY_LIMIT },
    });
    expect(NO_DELIVERY_LIMIT).toBe(-1);
    expect(policyOfQueue(desired.policies, 'mails.dlq')).toBeUndefined();
    expect(policyOfQueue(desired.policies, 'orders.retry.1s')).toBeUndefined();
    // The work queues keep their own limit: the DLQ policy names none of them.
    expect(policyOfQueue(desired.policies, 'orders')?.definition).toMatchObject({ 'delivery-limit': 20 });
  });

  it.each(['4.0.5', '4.3.6'])('plans the missing policy on a live %s vhost, and nothing once applied', (version) => {
    const plan = diffTopology(desired, liveBeforeTheFix(version), { vhost: '/' });
    const changes = plan.items.filter((i) => i.action !== 'unchanged');
    expect(changes).toEqual([expect.objectContaining({ kind: 'policy', action: 'create', name: policy().name })]);
    expect(policyBody(policy(), version)).toMatchObject({
      'apply-to': 'quorum_queues',
      definition: { 'delivery-limit': -1 },
    });
    expect(diffTopology(desired, liveOf(desired, version), { vhost: '/' })).toMatchObject({ hasChanges: false });
  });

  it.each(['3.10.8', '3.13.7'])('wants no such policy on %s (it refuses -1, and sets no default limit)', (version) => {
    const plan = diffTopology(desired, liveBeforeTheFix(version), { vhost: '/' });
    expect(plan).toMatchObject({ hasChanges: false, hasDrift: false, extra: [] });
    expect(plan.items.some((i) => i.name === policy().name)).toBe(false);
  });

  it('exports a quorum DLQ whose work queue is gone as a valid file (no negative deliveryLimit)', () => {
    const live = liveOf(desired, '4.0.5');
    const orphaned = { ...live, queues: live.queues.filter((q) => q.name !== 'orders') };
    const exported = topologyFromLive(orphaned);
    expect(exported.queues?.['orders.dlq']).toBeDefined();
    expect(exported.queues?.['orders.dlq']?.limits?.deliveryLimit).toBeUndefined();
    expect(() => parseTopology(exported)).not.toThrow();
  });
});

const policy = () => policyOfQueue(desired.policies, 'orders.dlq')!;
