import { lintTopology, parseTopology, parseTopologyText, type LintCode, type TopologyInput } from '../src';

const lint = (input: TopologyInput) => lintTopology(parseTopology(input));
const codes = (input: TopologyInput): LintCode[] => lint(input).map((w) => w.code);

describe('lintTopology', () => {
  it('has nothing to say about a sensible topology', () => {
    expect(
      lint({
        exchanges: {
          orders: { type: 'topic' },
          audit: { type: 'fanout', arguments: { 'alternate-exchange': 'orders' } },
        },
        queues: {
          billing: {
            bindings: [{ exchange: 'orders', routingKey: 'order.*' }],
            limits: { maxLength: 100, overflow: 'reject-publish', deadLetterStrategy: 'at-least-once' },
            retry: { delays: ['1s', '10s'] },
          },
          log: { type: 'classic', bindings: [{ exchange: 'audit' }], arguments: { 'x-max-priority': 5 } },
        },
      }),
    ).toEqual([]);
  });

  it('QUORUM_REJECT_PUBLISH_DLX: reject-publish-dlx on a quorum queue behaves as drop-head', () => {
    const warnings = lint({ queues: { q: { limits: { maxLength: 1, overflow: 'reject-publish-dlx' } } } });
    expect(warnings).toEqual([
      {
        path: 'queues.q.limits.overflow',
        code: 'QUORUM_REJECT_PUBLISH_DLX',
        message: expect.stringMatching(/drop-head/),
      },
    ]);
    expect(codes({ queues: { q: { type: 'classic', limits: { overflow: 'reject-publish-dlx' } } } })).toEqual([]);
  });

  it('AT_LEAST_ONCE_DOWNGRADED: at-least-once dead-lettering without reject-publish', () => {
    const warnings = lint({
      queues: { q: { limits: { overflow: 'drop-head', deadLetterStrategy: 'at-least-once' } } },
    });
    expect(warnings).toEqual([
      {
        path: 'queues.q.limits.deadLetterStrategy',
        code: 'AT_LEAST_ONCE_DOWNGRADED',
        message: expect.stringMatching(/falls back to at-most-once.*Set `overflow: reject-publish`/),
      },
    ]);
    // Without an overflow, Warren adds reject-publish itself: nothing to warn about.
    expect(codes({ queues: { q: { limits: { deadLetterStrategy: 'at-least-once' } } } })).toEqual([]);
  });

  it('QUORUM_ONLY_SETTING: a delivery limit or dead-letter strategy on a classic queue', () => {
    const warnings = lint({
      queues: { q: { type: 'classic', limits: { deliveryLimit: 3, deadLetterStrategy: 'at-least-once' } } },
    });
    expect(warnings.map((w) => [w.path, w.code])).toEqual([
      ['queues.q.limits.deliveryLimit', 'QUORUM_ONLY_SETTING'],
      ['queues.q.limits.deadLetterStrategy', 'QUORUM_ONLY_SETTING'],
    ]);
  });

  it('DEAD_LETTER_DISABLED: broker-side dead letters would be dropped', () => {
    const [warning] = lint({ queues: { q: { deadLetter: false, retry: { delays: ['1s'] } } } });
    expect(warning).toMatchObject({ path: 'queues.q.deadLetter', code: 'DEAD_LETTER_DISABLED' });
    expect(warning?.message).toMatch(/over the delivery limit\) and failures that exhaust their retries/);
    expect(warning?.message).toMatch(/dropped silently/);
  });

  it('DEAD_LETTER_DISABLED: says where broker dead letters go when the queue has its own dead-letter exchange', () => {
    const [warning] = lint({ queues: { q: { deadLetter: false, arguments: { 'x-dead-letter-exchange': 'legacy' } } } });
    expect(warning).toMatchObject({ code: 'DEAD_LETTER_DISABLED' });
    expect(warning?.message).toMatch(
      /the broker dead-letters to "legacy", but Warren's consumer has no dead-letter queue/,
    );
  });

  it('UNKNOWN_ARGUMENT: queue and exchange arguments RabbitMQ would ignore', () => {
    const warnings = lint({
      exchanges: { e: { type: 'topic', arguments: { 'x-delayed-type': 'topic' } } },
      queues: { q: { arguments: { 'x-max-lenght-bytes': 1, 'x-single-active-consumer': true } } },
    });
    expect(warnings.map((w) => [w.path, w.code])).toEqual([
      ['queues.q.arguments.x-max-lenght-bytes', 'UNKNOWN_ARGUMENT'],
      ['exchanges.e.arguments.x-delayed-type', 'UNKNOWN_ARGUMENT'],
    ]);
  });

  it('MUTABLE_ARGUMENT: a mutable setting given as an x-argument', () => {
    expect(lint({ queues: { q: { arguments: { 'x-max-length': 10 } } } })).toEqual([
      {
        path: 'queues.q.arguments.x-max-length',
        code: 'MUTABLE_ARGUMENT',
        message: expect.stringMatching(/can only change by deleting the queue.*prefer `limits.maxLength`/),
      },
    ]);
    // One a classic queue ignores is reported as ignored instead.
    expect(codes({ queues: { q: { type: 'classic', arguments: { 'x-delivery-limit': 3 } } } })).toEqual([
      'ARGUMENT_IGNORED',
    ]);
  });

  it('ARGUMENT_IGNORED: arguments the queue type does not honour', () => {
    const warnings = lint({
      queues: {
        q: { arguments: { 'x-max-priority': 10, 'x-max-age': '1D' } },
        c: { type: 'classic', arguments: { 'x-quorum-initial-group-size': 3 } },
      },
    });
    expect(warnings.map((w) => [w.path, w.code, w.message])).toEqual([
      ['queues.q.arguments.x-max-priority', 'ARGUMENT_IGNORED', 'quorum queues ignore x-max-priority (classic only)'],
      ['queues.q.arguments.x-max-age', 'ARGUMENT_IGNORED', 'quorum queues ignore x-max-age (streams only)'],
      [
        'queues.c.arguments.x-quorum-initial-group-size',
        'ARGUMENT_IGNORED',
        'classic queues ignore x-quorum-initial-group-size (quorum only)',
      ],
    ]);
  });

  it('EXCLUSIVE_QUEUE and TRANSIENT_QUEUE: classic queues that apply cannot keep', () => {
    expect(codes({ queues: { q: { type: 'classic', exclusive: true } } })).toEqual(['EXCLUSIVE_QUEUE']);
    expect(lint({ queues: { q: { type: 'classic', durable: false } } })).toEqual([
      {
        path: 'queues.q.durable',
        code: 'TRANSIENT_QUEUE',
        message: expect.stringMatching(/lost when the broker restarts/),
      },
    ]);
    expect(lint({ queues: { q: { type: 'classic', autoDelete: true } } })).toEqual([
      { path: 'queues.q.autoDelete', code: 'TRANSIENT_QUEUE', message: expect.stringMatching(/last consumer/) },
    ]);
  });

  it('RETRY_DELAYS_NOT_INCREASING: points at the first delay shorter than the one before', () => {
    expect(lint({ queues: { q: { retry: { delays: ['1s', '1m', '10s'] } } } })).toEqual([
      { path: 'queues.q.retry.delays[2]', code: 'RETRY_DELAYS_NOT_INCREASING', message: expect.any(String) },
    ]);
  });

  it('ROUTING_KEY_IGNORED: a routing key on a fanout or headers exchange binding', () => {
    const warnings = lint({
      exchanges: { f: { type: 'fanout' }, h: { type: 'headers', bindings: [{ exchange: 'f', routingKey: 'x' }] } },
      queues: {
        q: {
          bindings: [
            { exchange: 'h', routingKey: 'y' },
            { exchange: 'amq.fanout', routingKey: 'z' },
          ],
        },
      },
    });
    expect(warnings.map((w) => [w.path, w.code])).toEqual([
      ['queues.q.bindings[0].routingKey', 'ROUTING_KEY_IGNORED'],
      ['queues.q.bindings[1].routingKey', 'ROUTING_KEY_IGNORED'],
      ['exchanges.h.bindings[0].routingKey', 'ROUTING_KEY_IGNORED'],
    ]);
  });

  it('WILDCARD_ON_DIRECT_EXCHANGE: * and # are literal on a direct exchange', () => {
    expect(
      codes({
        exchanges: { d: { type: 'direct' } },
        queues: { q: { bindings: [{ exchange: 'd', routingKey: 'order.*' }] } },
      }),
    ).toEqual(['WILDCARD_ON_DIRECT_EXCHANGE']);
    expect(codes({ queues: { q: { bindings: [{ exchange: 'amq.topic', routingKey: 'order.#' }] } } })).toEqual([]);
  });

  it('gives the line of each warning when the topology was read from YAML or JSON', () => {
    const topology = parseTopologyText(
      ['queues:', '  q:', '    limits:', '      overflow: reject-publish-dlx', ''].join('\n'),
    );
    expect(lintTopology(topology)).toEqual([
      expect.objectContaining({
        path: 'queues.q.limits.overflow',
        code: 'QUORUM_REJECT_PUBLISH_DLX',
        line: 4,
        column: 7,
      }),
    ]);
    // A warning about a defaulted key points at the nearest line that is in the file.
    const classic = parseTopologyText('queues:\n  q: { type: classic, limits: { deliveryLimit: 3 } }\n');
    expect(lintTopology(classic)[0]).toMatchObject({ path: 'queues.q.limits.deliveryLimit', line: 2 });
  });

  it('gives no line for a topology that did not come from a file', () => {
    expect(lint({ queues: { q: { deadLetter: false } } })[0]).not.toHaveProperty('line');
  });
});
