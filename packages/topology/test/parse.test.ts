import { WarrenError } from '@warren/core';
import { parseTopology, TopologyValidationError, type TopologyIssue } from '../src';

/** The issues parseTopology reports for `input` (fails the test if it does not throw). */
function issuesOf(input: unknown): readonly TopologyIssue[] {
  try {
    parseTopology(input);
  } catch (error) {
    if (error instanceof TopologyValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected parseTopology to throw');
}

const messageAt = (input: unknown, path: string): string | undefined =>
  issuesOf(input).find((issue) => issue.path === path)?.message;

describe('parseTopology: defaults', () => {
  it('fills every default of the file format', () => {
    const topology = parseTopology({ exchanges: { orders: { type: 'topic' } }, queues: { billing: {} } });
    expect(topology.exchanges.orders).toEqual({
      type: 'topic',
      durable: true,
      autoDelete: false,
      internal: false,
      arguments: {},
      bindings: [],
    });
    expect(topology.queues.billing).toEqual({
      type: 'quorum',
      durable: true,
      autoDelete: false,
      exclusive: false,
      bindings: [],
      limits: {},
      retry: false,
      deadLetter: true,
      arguments: {},
    });
  });

  it('accepts an empty topology', () => {
    expect(parseTopology({})).toEqual({ exchanges: {}, queues: {} });
  });

  it('parses delays and TTLs into milliseconds, keeping the order of the delays', () => {
    const topology = parseTopology({
      queues: { q: { retry: { delays: ['10s', 250, '1.5m', '1h'] }, limits: { messageTtl: '30s' } } },
    });
    expect(topology.queues.q?.retry).toEqual({ delays: [10_000, 250, 90_000, 3_600_000] });
    expect(topology.queues.q?.limits.messageTtl).toBe(30_000);
  });

  it('round-trips: a parsed topology is a valid input and parses to itself', () => {
    const once = parseTopology({
      exchanges: { orders: { type: 'topic' } },
      queues: { q: { bindings: [{ exchange: 'orders', routingKey: 'a.*' }], retry: { delays: ['1s'] } } },
    });
    expect(parseTopology(once)).toEqual(once);
  });
});

describe('parseTopology: shape errors', () => {
  it('throws a TopologyValidationError with code TOPOLOGY_INVALID listing every issue', () => {
    const error = (() => {
      try {
        return parseTopology({ queues: { a: { type: 'stream' }, b: { durable: 'yes' } } }, { source: 'file.yaml' });
      } catch (e) {
        return e;
      }
    })() as TopologyValidationError;
    expect(error).toBeInstanceOf(TopologyValidationError);
    expect(error).toBeInstanceOf(WarrenError);
    expect(error.code).toBe('TOPOLOGY_INVALID');
    expect(error.issues.map((i) => i.path)).toEqual(['queues.a.type', 'queues.b.durable']);
    expect(error.message).toContain('The topology in file.yaml has 2 problems');
    expect(error.message).toContain('queues.a.type: expected `type`: quorum or classic');
  });

  it('reports a misspelt key with a suggestion and the allowed keys', () => {
    const message = messageAt({ queues: { q: { limits: { maxLenght: 10 } } } }, 'queues.q.limits.maxLenght');
    expect(message).toContain('unknown key "maxLenght"; did you mean "maxLength"?');
    expect(message).toContain('allowed here: maxLength, maxLengthBytes, overflow');
  });

  it('reports unknown keys at every level', () => {
    const paths = issuesOf({
      exchange: {},
      exchanges: { e: { type: 'topic', durabel: true, bindings: [{ exchange: 'e', routingkey: 'x' }] } },
      queues: { q: { retries: 3, retry: { delays: ['1s'], max: 3 } } },
    }).map((i) => i.path);
    expect(paths.sort()).toEqual(
      [
        'exchange',
        'exchanges.e.durabel',
        'exchanges.e.bindings[0].routingkey',
        'queues.q.retries',
        'queues.q.retry.max',
      ].sort(),
    );
  });

  it('quotes path segments that are not plain identifiers', () => {
    const issues = issuesOf({ queues: { 'billing.order-created': { retry: { delays: ['1 sec'] } } } });
    expect(issues[0]?.path).toBe("queues['billing.order-created'].retry.delays[0]");
  });

  it.each([['soon'], ['0s'], ['1.0005s'], [-5], [1.5], ['']])(
    'rejects the delay %p and says how to write one',
    (delay) => {
      const message = messageAt({ queues: { q: { retry: { delays: [delay] } } } }, 'queues.q.retry.delays[0]');
      expect(message).toMatch(/not a duration: use milliseconds .* or a string like 250ms, 10s/);
    },
  );

  it('rejects a delay of the wrong type', () => {
    expect(messageAt({ queues: { q: { retry: { delays: [true] } } } }, 'queues.q.retry.delays[0]')).toMatch(
      /expected a duration/,
    );
  });

  it('explains retry: true and an empty delay list', () => {
    expect(messageAt({ queues: { q: { retry: true } } }, 'queues.q.retry')).toMatch(/false, or an object like/);
    expect(messageAt({ queues: { q: { retry: { delays: [] } } } }, 'queues.q.retry.delays')).toMatch(
      /at least one delay, or write `retry: false`/,
    );
  });

  it('requires an exchange type and a binding source', () => {
    expect(messageAt({ exchanges: { e: {} } }, 'exchanges.e.type')).toMatch(/one of direct, topic, fanout, headers/);
    expect(messageAt({ queues: { q: { bindings: [{ routingKey: 'x' }] } } }, 'queues.q.bindings[0].exchange')).toMatch(
      /needs `exchange`/,
    );
  });

  it('rejects numbers given as strings and non-integers in limits', () => {
    expect(messageAt({ queues: { q: { limits: { maxLength: '10' } } } }, 'queues.q.limits.maxLength')).toMatch(
      /as a number/,
    );
    expect(messageAt({ queues: { q: { limits: { deliveryLimit: 2.5 } } } }, 'queues.q.limits.deliveryLimit')).toMatch(
      /integer/,
    );
  });

  it('says how to fix the common YAML slips: an empty entry, yes/no strings, a list instead of a map', () => {
    expect(messageAt({ queues: { billing: null } }, 'queues.billing')).toBe(
      'expected the queue settings (write `{}` for all the defaults)',
    );
    expect(messageAt({ queues: null }, 'queues')).toBe('expected `queues` as a map of queue name to settings');
    expect(messageAt({ exchanges: [{ type: 'topic' }] }, 'exchanges')).toMatch(/map of exchange name/);
    expect(messageAt({ queues: { q: { durable: 'yes' } } }, 'queues.q.durable')).toBe('expected true or false');
    expect(
      messageAt({ queues: { q: { bindings: [{ exchange: 'e', routingKey: 1 }] } } }, 'queues.q.bindings[0].routingKey'),
    ).toMatch(/routing key as a string/);
  });

  it('keeps the type message for wrong types only: a negative number says what range is allowed', () => {
    expect(messageAt({ queues: { q: { limits: { maxLength: -1 } } } }, 'queues.q.limits.maxLength')).toBe(
      'expected maxLength to be 0 or more',
    );
    expect(messageAt({ queues: { q: { bindings: { exchange: 'e' } } } }, 'queues.q.bindings')).toMatch(
      /expected `bindings` as a list/,
    );
    expect(messageAt({ vhost: '' }, 'vhost')).toBe('expected a vhost name, e.g. /');
  });

  it('rejects a duration longer than a TTL can be', () => {
    expect(messageAt({ queues: { q: { limits: { messageTtl: '1200h' } } } }, 'queues.q.limits.messageTtl')).toMatch(
      /at most 4294967295 ms/,
    );
    expect(() => parseTopology({ queues: { q: { limits: { messageTtl: '1000h' } } } })).not.toThrow();
  });

  it('rejects a non-object topology', () => {
    expect(issuesOf('exchanges: {}')).toEqual([
      { path: '', message: 'expected an object with `exchanges` and `queues`' },
    ]);
    expect(issuesOf(null)[0]?.message).toMatch(/expected an object/);
  });
});

describe('parseTopology: cross-references', () => {
  it('reports a binding to an undeclared exchange, with the declared ones and a suggestion', () => {
    const message = messageAt(
      { exchanges: { orders: { type: 'topic' } }, queues: { q: { bindings: [{ exchange: 'ordrs' }] } } },
      'queues.q.bindings[0].exchange',
    );
    expect(message).toBe(
      'exchange "ordrs" is not declared: add it under `exchanges` (declared: orders); did you mean "orders"?',
    );
  });

  it('checks exchange-to-exchange bindings too, and allows the predeclared amq.* exchanges', () => {
    const issues = issuesOf({
      exchanges: { a: { type: 'topic', bindings: [{ exchange: 'missing' }, { exchange: 'amq.topic' }] } },
      queues: { q: { bindings: [{ exchange: 'amq.direct', routingKey: 'q' }] } },
    });
    expect(issues.map((i) => i.path)).toEqual(['exchanges.a.bindings[0].exchange']);
  });

  it('refuses a binding to the default exchange', () => {
    expect(
      messageAt({ queues: { q: { bindings: [{ exchange: '' }] } } }, 'queues.q.bindings[0].exchange'),
    ).toBeDefined();
    // '' fails the schema (min length) before the cross-reference check; either way it is reported.
  });

  it('refuses names RabbitMQ reserves or cannot hold', () => {
    expect(messageAt({ exchanges: { 'amq.mine': { type: 'topic' } } }, "exchanges['amq.mine']")).toMatch(/reserved/);
    expect(messageAt({ queues: { 'amq.q': {} } }, "queues['amq.q']")).toMatch(/reserved/);
    expect(messageAt({ queues: { '': {} } }, "queues['']")).toMatch(/non-empty name/);
    expect(issuesOf({ queues: { ['x'.repeat(256)]: { retry: { delays: ['1s'] } } } })).toEqual([
      { path: `queues.${'x'.repeat(256)}`, message: 'RabbitMQ names are at most 255 bytes: shorten the queue name' },
    ]);
    expect(
      messageAt({ exchanges: { ['é'.repeat(128)]: { type: 'topic' } } }, `exchanges['${'é'.repeat(128)}']`),
    ).toMatch(/255 bytes/);
  });

  it('reports a user queue that collides with a derived dead-letter queue', () => {
    const message = messageAt({ queues: { x: {}, 'x.dlq': {} } }, 'queues.x.deadLetter');
    expect(message).toMatch(/"x\.dlq" is both the queue declared in the file and the dead-letter queue Warren derives/);
  });

  it('allows x.dlq as a user queue when x has no dead-letter queue', () => {
    expect(() => parseTopology({ queues: { x: { deadLetter: false }, 'x.dlq': {} } })).not.toThrow();
  });

  it('reports a user exchange that collides with a derived dead-letter exchange', () => {
    const message = messageAt({ exchanges: { 'x.dlx': { type: 'fanout' } }, queues: { x: {} } }, 'queues.x.deadLetter');
    expect(message).toMatch(/"x\.dlx" is both the exchange declared in the file and the dead-letter exchange/);
  });

  it('reports a user queue that collides with a derived retry tier', () => {
    const message = messageAt(
      { queues: { q: { retry: { delays: ['10s'] } }, 'q.retry.10s': {} } },
      'queues.q.retry.delays[0]',
    );
    expect(message).toMatch(/"q\.retry\.10s" is both the queue declared in the file and the 10s retry tier/);
  });

  it('reports derived names of two queues that collide', () => {
    // `a.retry.1s`'s DLQ is `a.retry.1s.dlq`; `a`'s tier is `a.retry.1s`: a user queue `a.retry.1s` collides.
    const issues = issuesOf({ queues: { a: { retry: { delays: [1000] } }, 'a.retry.1s': { deadLetter: false } } });
    expect(issues).toHaveLength(1);
  });

  it('reports a derived name over 255 bytes', () => {
    const name = 'q'.repeat(250);
    expect(
      messageAt(
        { queues: { [name]: { deadLetter: false, retry: { delays: ['10s'] } } } },
        `queues.${name}.retry.delays[0]`,
      ),
    ).toMatch(/10s retry tier .* would be ".*\.retry\.10s", over RabbitMQ's 255-byte limit/);
  });

  it('reports the same delay listed twice, however it is written', () => {
    expect(messageAt({ queues: { q: { retry: { delays: ['1s', '1000ms'] } } } }, 'queues.q.retry.delays[1]')).toBe(
      '1s is already delays[0]: each retry tier needs a different delay',
    );
  });

  it('refuses quorum queues that are non-durable, exclusive or auto-delete (the broker refuses them with 406)', () => {
    const issues = issuesOf({ queues: { q: { durable: false, exclusive: true, autoDelete: true } } });
    expect(issues.map((i) => i.path)).toEqual(['queues.q.durable', 'queues.q.exclusive', 'queues.q.autoDelete']);
    expect(issues[0]?.message).toMatch(/use `type: classic`/);
    expect(() =>
      parseTopology({ queues: { q: { type: 'classic', durable: false, exclusive: true, autoDelete: true } } }),
    ).not.toThrow();
  });

  it('refuses x-queue-type, which Warren sets from `type`', () => {
    expect(
      messageAt({ queues: { q: { arguments: { 'x-queue-type': 'stream' } } } }, 'queues.q.arguments.x-queue-type'),
    ).toMatch(/Warren sets x-queue-type from `type`: write `type: quorum`/);
  });

  it('refuses dead-letter arguments unless the queue opts out of its own dead-letter exchange', () => {
    for (const key of ['x-dead-letter-exchange', 'x-dead-letter-routing-key'])
      expect(messageAt({ queues: { q: { arguments: { [key]: 'e' } } } }, `queues.q.arguments.${key}`)).toMatch(
        /Warren sets the dead-letter exchange .* or write `deadLetter: false`/,
      );
    const adopted = { deadLetter: false, arguments: { 'x-dead-letter-exchange': 'legacy.dlx' } };
    expect(parseTopology({ queues: { q: adopted } }).queues.q?.arguments).toEqual({
      'x-dead-letter-exchange': 'legacy.dlx',
    });
  });

  it('accepts mutable settings as x-arguments, to match an existing queue (lint says to prefer limits)', () => {
    expect(() =>
      parseTopology({ queues: { q: { arguments: { 'x-max-length': 10, 'x-message-ttl': '10' } } } }),
    ).not.toThrow();
  });

  it('refuses a non-integer value for an integer argument, and accepts a numeric string', () => {
    expect(
      messageAt(
        { queues: { q: { type: 'classic', arguments: { 'x-max-priority': 'ten' } } } },
        'queues.q.arguments.x-max-priority',
      ),
    ).toBe('x-max-priority takes an integer, not "ten"');
    expect(() =>
      parseTopology({ queues: { q: { type: 'classic', arguments: { 'x-max-priority': '10' } } } }),
    ).not.toThrow();
  });

  it('reports cross-reference issues together with shape errors', () => {
    const issues = issuesOf({
      exchanges: { orders: { type: 'topic' }, broken: { type: 'nope' } },
      queues: {
        good: { bindings: [{ exchange: 'ordrs' }, { exchange: 'broken' }] },
        bad: { limits: { maxLenght: 1 } },
      },
    });
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['exchanges.broken.type', 'queues.bad.limits.maxLenght', 'queues.good.bindings[0].exchange'].sort(),
    );
  });
});
