import { WarrenError } from '@warren/core';
import {
  deriveTopology,
  parseTopology,
  workQueueLayout,
  UnknownQueueError,
  DEFAULT_DELIVERY_LIMIT,
  POLICY_PRIORITY,
  POLICY_PATTERN_MAX_BYTES,
  policyName,
  policyOfQueue,
  policyPatternQueues,
  type TopologyInput,
} from '../src';

const derive = (input: TopologyInput) => deriveTopology(parseTopology(input));
const queueNamed = (input: TopologyInput, name: string) => derive(input).queues.find((q) => q.name === name);
const policyOf = (input: TopologyInput, queue: string) => policyOfQueue(derive(input).policies, queue);

const ORDERS: TopologyInput = {
  exchanges: { orders: { type: 'topic' } },
  queues: {
    'billing.order-created': {
      bindings: [{ exchange: 'orders', routingKey: 'order.created' }],
      limits: { maxLength: 10000, overflow: 'reject-publish' },
      retry: { delays: ['1s', '10s', '1m'] },
    },
  },
};

describe('deriveTopology: a quorum work queue with retries', () => {
  const desired = derive(ORDERS);
  const q = 'billing.order-created';

  it('declares the work queue with its type and dead-letter exchange, and nothing mutable', () => {
    expect(desired.queues[0]).toEqual({
      name: q,
      type: 'quorum',
      durable: true,
      autoDelete: false,
      exclusive: false,
      arguments: { 'x-dead-letter-exchange': `${q}.dlx`, 'x-queue-type': 'quorum' },
      role: 'work',
      owner: q,
    });
  });

  it('derives one tier per delay: fixed TTL, back to exactly this queue through the default exchange', () => {
    const tiers = desired.queues.filter((spec) => spec.role === 'retry');
    expect(tiers.map((t) => t.name)).toEqual([`${q}.retry.1s`, `${q}.retry.10s`, `${q}.retry.1m`]);
    expect(tiers[1]).toEqual({
      name: `${q}.retry.10s`,
      type: 'quorum',
      durable: true,
      autoDelete: false,
      exclusive: false,
      arguments: {
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': q,
        'x-dead-letter-strategy': 'at-least-once',
        'x-message-ttl': 10_000,
        'x-overflow': 'reject-publish',
        'x-queue-type': 'quorum',
      },
      role: 'retry',
      owner: q,
    });
  });

  it('derives the dead-letter exchange (fanout) and queue, bound together', () => {
    expect(desired.exchanges.map((e) => e.name)).toEqual(['orders', `${q}.dlx`]);
    expect(desired.exchanges[1]).toEqual({
      name: `${q}.dlx`,
      type: 'fanout',
      durable: true,
      autoDelete: false,
      internal: false,
      arguments: {},
    });
    expect(desired.queues.find((spec) => spec.role === 'dead-letter')).toMatchObject({
      name: `${q}.dlq`,
      type: 'quorum',
      durable: true,
      arguments: { 'x-queue-type': 'quorum' },
      owner: q,
    });
    expect(desired.bindings).toEqual([
      { source: 'orders', destination: q, destinationType: 'queue', routingKey: 'order.created', arguments: {} },
      { source: `${q}.dlx`, destination: `${q}.dlq`, destinationType: 'queue', routingKey: '', arguments: {} },
    ]);
  });

  it('puts the mutable settings in a Warren policy naming the queue, with the default delivery limit', () => {
    const definition = {
      'dead-letter-strategy': 'at-least-once',
      'delivery-limit': DEFAULT_DELIVERY_LIMIT,
      'max-length': 10000,
      overflow: 'reject-publish',
    };
    expect(policyOfQueue(desired.policies, q)).toEqual({
      name: policyName('quorum', definition, [q]),
      pattern: '^(?:billing\\.order-created)$',
      queues: [q],
      queueType: 'quorum',
      priority: POLICY_PRIORITY,
      definition,
    });
    expect(policyOfQueue(desired.policies, q)?.name).toMatch(/^warren\.[0-9a-f]{8}\.[0-9a-f]{8}$/);
    expect(POLICY_PRIORITY).toBe(100);
    expect(DEFAULT_DELIVERY_LIMIT).toBe(20);
  });

  it('describes the work queue layout with tiers in file order', () => {
    expect(desired.workQueues).toEqual([
      {
        queue: q,
        type: 'quorum',
        retryTiers: [
          { delayMs: 1000, queue: `${q}.retry.1s` },
          { delayMs: 10_000, queue: `${q}.retry.10s` },
          { delayMs: 60_000, queue: `${q}.retry.1m` },
        ],
        deadLetterQueue: `${q}.dlq`,
        deadLetterExchange: `${q}.dlx`,
      },
    ]);
  });

  it('never puts a mutable setting in a work queue x-argument', () => {
    const mutable = ['x-message-ttl', 'x-max-length', 'x-max-length-bytes', 'x-overflow', 'x-delivery-limit'];
    const work = derive({
      queues: {
        q: { limits: { maxLength: 1, maxLengthBytes: 2, overflow: 'drop-head', messageTtl: '1s', deliveryLimit: 3 } },
      },
    }).queues.filter((spec) => spec.role === 'work');
    for (const spec of work) for (const key of mutable) expect(spec.arguments).not.toHaveProperty(key);
  });
});

describe('deriveTopology: policies', () => {
  it('maps every limit to its policy key', () => {
    const input: TopologyInput = {
      queues: {
        q: {
          limits: {
            maxLength: 5,
            maxLengthBytes: 1024,
            overflow: 'reject-publish',
            messageTtl: '30s',
            deliveryLimit: 3,
            deadLetterStrategy: 'at-most-once',
          },
        },
      },
    };
    expect(policyOf(input, 'q')?.definition).toEqual({
      'dead-letter-strategy': 'at-most-once',
      'delivery-limit': 3,
      'max-length': 5,
      'max-length-bytes': 1024,
      'message-ttl': 30_000,
      overflow: 'reject-publish',
    });
  });

  it('gives a plain quorum queue at-least-once dead-lettering with the reject-publish overflow it needs', () => {
    expect(policyOf({ queues: { q: {} } }, 'q')?.definition).toEqual({
      'dead-letter-strategy': 'at-least-once',
      'delivery-limit': 20,
      overflow: 'reject-publish',
    });
  });

  it('leaves the strategy alone when drop-head rules at-least-once out', () => {
    expect(policyOf({ queues: { q: { limits: { overflow: 'drop-head' } } } }, 'q')?.definition).toEqual({
      'delivery-limit': 20,
      overflow: 'drop-head',
    });
  });

  it('sets no strategy on a quorum queue without dead-lettering', () => {
    expect(policyOf({ queues: { q: { deadLetter: false } } }, 'q')?.definition).toEqual({ 'delivery-limit': 20 });
  });

  it('adds no default over a setting given as an x-argument (the policy would override it)', () => {
    expect(
      policyOf({ queues: { q: { arguments: { 'x-delivery-limit': 50, 'x-overflow': 'drop-head' } } } }, 'q'),
    ).toBeUndefined();
    expect(
      policyOf({ queues: { q: { arguments: { 'x-dead-letter-strategy': 'at-most-once' } } } }, 'q')?.definition,
    ).toEqual({
      'delivery-limit': 20,
    });
    expect(policyOf({ queues: { q: { arguments: { 'x-overflow': 'reject-publish' } } } }, 'q')?.definition).toEqual({
      'dead-letter-strategy': 'at-least-once',
      'delivery-limit': 20,
    });
  });

  it('gives a classic queue only the classic settings, and no policy when it has none', () => {
    const input: TopologyInput = {
      queues: {
        a: { type: 'classic', limits: { maxLength: 5, deliveryLimit: 3, deadLetterStrategy: 'at-least-once' } },
        b: { type: 'classic' },
      },
    };
    expect(policyOf(input, 'a')?.definition).toEqual({ 'max-length': 5 });
    expect(policyOf(input, 'b')).toBeUndefined();
  });

  it('escapes the queue name in the anchored pattern', () => {
    expect(policyOf({ queues: { 'a.b+(c)': {} } }, 'a.b+(c)')?.pattern).toBe('^(?:a\\.b\\+\\(c\\))$');
  });
});

describe('deriveTopology: grouped policies', () => {
  const queues = (names: string[], limits: Record<string, unknown>, type = 'classic') =>
    Object.fromEntries(names.map((name) => [name, { type, limits }])) as TopologyInput['queues'];

  it('puts every queue with the same definition and type in one policy, sorted, and others apart', () => {
    const desired = derive({
      queues: {
        ...queues(['c', 'a', 'b'], { maxLength: 5 }),
        ...queues(['d'], { maxLength: 6 }),
        ...queues(['e'], { maxLength: 5 }, 'quorum'),
        ...queues(['f'], {}),
      },
    });
    expect(desired.policies.map((p) => [p.queues, p.pattern]).sort()).toEqual([
      [['a', 'b', 'c'], '^(?:a|b|c)$'],
      [['d'], '^(?:d)$'],
      [['e'], '^(?:e)$'],
      [['e.dlq'], '^(?:e\\.dlq)$'],
    ]);
    expect(policyOf({ queues: queues(['a', 'b'], { maxLength: 5 }) }, 'b')?.definition).toEqual({ 'max-length': 5 });
  });

  it('splits a large group into patterns within the byte limit, each queue in exactly one', () => {
    const names = Array.from({ length: 500 }, (_, i) => `service-é.queue-${String(i).padStart(3, '0')}`);
    const { policies } = derive({ queues: queues(names, { maxLength: 5 }) });
    expect(policies.length).toBeGreaterThan(10);
    for (const p of policies) expect(Buffer.byteLength(p.pattern)).toBeLessThanOrEqual(POLICY_PATTERN_MAX_BYTES);
    expect(policies.flatMap((p) => p.queues).sort()).toEqual(names.sort());
    expect(new Set(policies.map((p) => p.name)).size).toBe(policies.length);
  });

  it('names a policy by its definition, type and first member, whatever the order or the later members', () => {
    const definition = { 'max-length': 5 };
    expect(policyName('classic', definition, ['a', 'b'])).toBe(policyName('classic', definition, ['b', 'a']));
    expect(policyName('classic', definition, ['a', 'b'])).toBe(policyName('classic', definition, ['a', 'c']));
    expect(policyName('classic', definition, ['a'])).not.toBe(policyName('classic', definition, ['b']));
    expect(policyName('classic', definition, ['a'])).not.toBe(policyName('quorum', definition, ['a']));
    expect(policyName('classic', definition, ['a'])).not.toBe(policyName('classic', { 'max-length': 6 }, ['a']));
  });

  it('reads the queue names back from a Warren pattern, and nothing from any other expression', () => {
    const names = ['a.b', 'x|y', 'p(q)', 'back\\slash', 'dollar$'];
    const { policies } = derive({ queues: queues(names, { maxLength: 1 }) });
    expect(policyPatternQueues(policies[0]!.pattern)).toEqual([...names].sort());
    expect(policyPatternQueues('^billing\\.orders$')).toEqual(['billing.orders']);
    for (const other of ['^a.*$', '^(?:a|b.*)$', 'a', '^(a|b)$', '^(?:a|)$', '.*'])
      expect(policyPatternQueues(other)).toBeUndefined();
  });
});

describe('deriveTopology: classic queues and options', () => {
  it('derives classic tiers without the quorum-only arguments', () => {
    expect(queueNamed({ queues: { q: { type: 'classic', retry: { delays: [250] } } } }, 'q.retry.250ms')).toEqual({
      name: 'q.retry.250ms',
      type: 'classic',
      durable: true,
      autoDelete: false,
      exclusive: false,
      arguments: {
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': 'q',
        'x-message-ttl': 250,
        'x-queue-type': 'classic',
      },
      role: 'retry',
      owner: 'q',
    });
  });

  it('keeps tiers and the DLQ durable even for a transient classic queue', () => {
    const desired = derive({
      queues: { q: { type: 'classic', durable: false, autoDelete: true, retry: { delays: ['1s'] } } },
    });
    expect(desired.queues.map((q) => [q.name, q.durable, q.autoDelete])).toEqual([
      ['q', false, true],
      ['q.retry.1s', true, false],
      ['q.dlq', true, false],
    ]);
  });

  it('derives no DLX, DLQ or x-dead-letter-exchange with deadLetter: false, and no tiers without retry', () => {
    const desired = derive({ queues: { q: { deadLetter: false } } });
    expect(desired.queues.map((q) => q.name)).toEqual(['q']);
    expect(desired.queues[0]?.arguments).toEqual({ 'x-queue-type': 'quorum' });
    expect(desired.exchanges).toEqual([]);
    expect(desired.bindings).toEqual([]);
    expect(desired.workQueues[0]).toEqual({
      queue: 'q',
      type: 'quorum',
      retryTiers: [],
      deadLetterQueue: null,
      deadLetterExchange: null,
    });
  });

  it('passes user arguments through, normalised', () => {
    const spec = queueNamed({ queues: { q: { type: 'classic', arguments: { 'x-max-priority': '10' } } } }, 'q');
    expect(spec?.arguments).toEqual({
      'x-dead-letter-exchange': 'q.dlx',
      'x-max-priority': 10,
      'x-queue-type': 'classic',
    });
  });

  it('derives exchange options and exchange-to-exchange bindings', () => {
    const desired = derive({
      exchanges: {
        events: { type: 'topic' },
        audit: {
          type: 'headers',
          durable: false,
          internal: true,
          arguments: { 'alternate-exchange': 'events' },
          bindings: [{ exchange: 'events', routingKey: '#', arguments: { 'x-match': 'any' } }],
        },
      },
    });
    expect(desired.exchanges[0]).toEqual({
      name: 'audit',
      type: 'headers',
      durable: false,
      autoDelete: false,
      internal: true,
      arguments: { 'alternate-exchange': 'events' },
    });
    expect(desired.bindings).toEqual([
      {
        source: 'events',
        destination: 'audit',
        destinationType: 'exchange',
        routingKey: '#',
        arguments: { 'x-match': 'any' },
      },
    ]);
  });

  it('keeps header binding values as written: a headers exchange matches them with their type', () => {
    const desired = derive({
      exchanges: { h: { type: 'headers' } },
      queues: {
        q: { deadLetter: false, bindings: [{ exchange: 'h', arguments: { 'x-match': 'all', expires: '10' } }] },
      },
    });
    expect(desired.bindings[0]?.arguments).toEqual({ expires: '10', 'x-match': 'all' });
  });

  it('declares a binding listed twice once', () => {
    const desired = derive({
      exchanges: { e: { type: 'topic' } },
      queues: {
        q: {
          deadLetter: false,
          bindings: [
            { exchange: 'e', routingKey: 'a' },
            { exchange: 'e', routingKey: 'a' },
          ],
        },
      },
    });
    expect(desired.bindings).toHaveLength(1);
  });

  it('is deterministic: the same topology in any key order derives the same state', () => {
    const a = derive({
      exchanges: { x: { type: 'topic' }, a: { type: 'fanout' } },
      queues: { z: {}, b: { retry: { delays: ['1m', '1s'] } } },
    });
    const b = derive({
      queues: { b: { retry: { delays: ['1m', '1s'] } }, z: {} },
      exchanges: { a: { type: 'fanout' }, x: { type: 'topic' } },
    });
    expect(a).toEqual(b);
    expect(a.queues.map((q) => q.name)).toEqual(['b', 'b.retry.1s', 'b.retry.1m', 'b.dlq', 'z', 'z.dlq']);
    expect(a.workQueues[0]?.retryTiers.map((t) => t.delayMs)).toEqual([60_000, 1000]);
  });
});

describe('workQueueLayout', () => {
  const topology = parseTopology(ORDERS);

  it('gives the same layout from the topology and from its derived state', () => {
    const layout = workQueueLayout(topology, 'billing.order-created');
    expect(layout.retryTiers.map((t) => t.queue)).toEqual([
      'billing.order-created.retry.1s',
      'billing.order-created.retry.10s',
      'billing.order-created.retry.1m',
    ]);
    expect(workQueueLayout(deriveTopology(topology), 'billing.order-created')).toEqual(layout);
  });

  it('throws UNKNOWN_QUEUE naming the known work queues (derived queues are not work queues)', () => {
    for (const source of [topology, deriveTopology(topology)]) {
      const error = (() => {
        try {
          return workQueueLayout(source, 'billing.order-created.dlq');
        } catch (e) {
          return e;
        }
      })() as UnknownQueueError;
      expect(error).toBeInstanceOf(UnknownQueueError);
      expect(error).toBeInstanceOf(WarrenError);
      expect(error.code).toBe('UNKNOWN_QUEUE');
      expect(error.knownQueues).toEqual(['billing.order-created']);
      expect(error.message).toContain('known: billing.order-created');
    }
  });

  it('suggests the closest work queue name', () => {
    expect(() => workQueueLayout(topology, 'billing.order-creatd')).toThrow(
      /known: billing.order-created\); did you mean "billing.order-created"\?/,
    );
  });

  it('does not mistake inherited object properties for queues', () => {
    expect(() => workQueueLayout(topology, 'constructor')).toThrow(UnknownQueueError);
  });
});
