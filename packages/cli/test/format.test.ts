import type { PlanItem, TopologyPlan } from '@warren/topology';
import { formatApply, formatListing, formatPlan, formatPlanItem, formatReplay, planSummary } from '../src/format';
import { planExitCode } from '../src/run-plan';

const queue = (name: string, action: PlanItem['action'], differences: PlanItem['differences'] = []): PlanItem => ({
  kind: 'queue',
  name,
  action,
  differences,
  spec: {
    name,
    type: 'quorum',
    durable: true,
    autoDelete: false,
    exclusive: false,
    arguments: { 'x-queue-type': 'quorum' },
    role: 'work',
    owner: name,
  },
});

function plan(items: PlanItem[]): TopologyPlan {
  const counts = { create: 0, unchanged: 0, update: 0, drift: 0, delete: 0 };
  for (const item of items) counts[item.action] += 1;
  return {
    vhost: '/',
    brokerVersion: '3.10.8',
    items,
    extra: [],
    counts,
    hasChanges: counts.create + counts.update + counts.delete > 0,
    hasDrift: counts.drift > 0,
  };
}

describe('formatPlanItem', () => {
  it('writes each action with its symbol, like terraform', () => {
    expect(formatPlanItem(queue('orders', 'create'))).toBe('+ create queue orders (quorum)');
    expect(formatPlanItem(queue('orders', 'unchanged'))).toBe('= unchanged queue orders');
    expect(
      formatPlanItem(queue('orders', 'drift', [{ property: 'x-queue-type', live: 'classic', wanted: 'quorum' }])),
    ).toBe("! drift queue orders: x-queue-type live 'classic' wanted 'quorum'");
    expect(
      formatPlanItem({
        kind: 'policy',
        name: 'warren.orders',
        action: 'update',
        differences: [
          { property: 'max-length', live: 1000, wanted: 10000 },
          { property: 'message-ttl', live: undefined, wanted: 60000 },
        ],
      }),
    ).toBe('~ update policy warren.orders: max-length live 1000 wanted 10000; message-ttl live (absent) wanted 60000');
  });

  it('names the queues of a grouped policy instead of its long pattern', () => {
    const spec = {
      name: 'warren.0a1b2c3d.4e5f6a7b',
      pattern: '^(?:a|b\\.x|c|d)$',
      queues: ['a', 'b.x', 'c', 'd'],
      queueType: 'classic' as const,
      priority: 100,
      definition: { 'max-length': 5 },
    };
    expect(formatPlanItem({ kind: 'policy', name: spec.name, action: 'create', differences: [], spec })).toBe(
      '+ create policy warren.0a1b2c3d.4e5f6a7b (for a, b.x, c and 1 more: max-length 5)',
    );
    const pattern = { property: 'pattern', live: '^(?:a|e|f)$', wanted: spec.pattern };
    expect(formatPlanItem({ kind: 'policy', name: spec.name, action: 'update', differences: [pattern], spec })).toBe(
      '~ update policy warren.0a1b2c3d.4e5f6a7b: queues: adds b.x, c, d, removes e, f',
    );
  });
});

describe('formatPlan', () => {
  it('lists every item and a summary', () => {
    const text = formatPlan(plan([queue('a', 'create'), queue('b', 'unchanged')]), 'topology.yaml');
    expect(text).toContain("Plan for topology.yaml against vhost '/' (RabbitMQ 3.10.8):");
    expect(text).toContain('  + create queue a (quorum)\n  = unchanged queue b');
    expect(text).toContain('Plan: 1 to create, 0 to update, 0 to delete, 1 unchanged.');
  });

  it('says when there is nothing to change', () => {
    expect(planSummary(plan([queue('a', 'unchanged')]))).toBe(
      'No changes: the broker already matches the file (1 objects).',
    );
  });

  it('says apply would refuse on drift', () => {
    expect(planSummary(plan([queue('a', 'drift')]))).toContain('1 drifted: apply would refuse');
  });
});

describe('planExitCode', () => {
  it.each([
    ['no changes', [queue('a', 'unchanged')], false, 0],
    ['no changes, detailed', [queue('a', 'unchanged')], true, 0],
    ['changes', [queue('a', 'create')], false, 0],
    ['changes, detailed', [queue('a', 'create')], true, 2],
    ['drift', [queue('a', 'drift')], false, 1],
    ['drift, detailed', [queue('a', 'drift')], true, 1],
  ])('%s', (_name, items, detailed, code) => {
    expect(planExitCode(plan(items), detailed)).toBe(code);
  });
});

describe('formatApply', () => {
  it('says so when a second run has nothing to do', () => {
    const result = {
      plan: plan([queue('a', 'unchanged')]),
      changed: false,
      dryRun: false,
      changes: [],
      counts: { created: 0, updated: 0, deleted: 0, unchanged: 1 },
    };
    expect(formatApply(result, 't.yaml')).toBe(
      'No changes: the broker already matches t.yaml (1 objects unchanged). Nothing was done.',
    );
  });
});

describe('dead letters', () => {
  it('shows each parked message with its failure details', () => {
    const text = formatListing({
      queue: 'q',
      deadLetterQueue: 'q.dlq',
      total: 3,
      messages: [
        {
          messageId: 'm-1',
          source: 'warren',
          reason: 'handler-error',
          error: 'boom',
          attempts: 4,
          firstFailureAt: '2026-01-01T00:00:00.000Z',
          lastFailureAt: '2026-01-01T00:01:00.000Z',
          originalExchange: 'orders',
          originalRoutingKey: 'order.created',
          deaths: [],
          contentType: 'application/json',
          bytes: 12,
        },
      ],
    });
    expect(text).toContain('q.dlq: 3 message(s) parked; showing 1 (left in place).');
    expect(text).toContain('#1 m-1 (dead-lettered by a Warren consumer)');
    expect(text).toContain('  reason: handler-error\n  error: boom\n  attempts: 4');
    expect(text).toContain('  original routing key: order.created');
  });

  it('truncates a long body', () => {
    const listing = formatListing({
      queue: 'q',
      deadLetterQueue: 'q.dlq',
      total: 1,
      messages: [
        {
          messageId: null,
          source: 'broker',
          reason: 'expired',
          error: null,
          attempts: 1,
          firstFailureAt: null,
          lastFailureAt: null,
          originalExchange: null,
          originalRoutingKey: null,
          deaths: [],
          contentType: null,
          bytes: 600,
          body: 'x'.repeat(600),
        },
      ],
    });
    expect(listing).toContain(`  body: ${'x'.repeat(500)}… (100 more characters)`);
    expect(listing).toContain('#1 (no messageId) (dead-lettered by the broker)');
  });

  it('reports what replay moved and left', () => {
    expect(
      formatReplay({ queue: 'q', deadLetterQueue: 'q.dlq', moved: 2, skipped: 1, total: 3, interrupted: false }),
    ).toBe('Moved 2 message(s) from q.dlq to q; 1 left in q.dlq (other reasons).');
  });
});

describe('extra objects', () => {
  it('shows the first ten and counts the rest', () => {
    const extra = Array.from({ length: 12 }, (_, i) => ({ kind: 'policy' as const, name: `warren.old-${i}` }));
    const text = formatPlan({ ...plan([queue('a', 'unchanged')]), extra }, 't.yaml');
    expect(text).toContain('  ? policy warren.old-9\n  ... and 2 more (--json lists them all)');
    expect(text).not.toContain('warren.old-10');
  });
});
