import { z } from 'zod';
import { defineContract } from '@warren/core';
import { checkContracts, parseTopology, parseTopologyText } from '../src';

const topology = parseTopology({
  exchanges: {
    orders: { type: 'topic' },
    audit: { type: 'fanout', internal: true, bindings: [{ exchange: 'orders', routingKey: 'order.#' }] },
    commands: { type: 'direct', arguments: { 'alternate-exchange': 'unrouted' } },
    unrouted: { type: 'fanout' },
    tagged: { type: 'headers' },
  },
  queues: {
    billing: { bindings: [{ exchange: 'orders', routingKey: 'order.*' }] },
    'audit.log': { bindings: [{ exchange: 'audit' }] },
    'commands.unrouted': { bindings: [{ exchange: 'unrouted' }] },
    'by-tag': { bindings: [{ exchange: 'tagged', arguments: { 'x-match': 'any', tag: 'a' } }] },
  },
});

const schema = z.object({ id: z.string() });
const contract = (exchange: string, routingKey: string, queue?: string) =>
  defineContract({ exchange, routingKey, schema, ...(queue === undefined ? {} : { queue }) });

describe('checkContracts', () => {
  it('accepts contracts whose messages reach their queue', () => {
    expect(
      checkContracts(topology, {
        OrderCreated: contract('orders', 'order.created', 'billing'),
        OrderAudited: contract('orders', 'order.paid.late', 'audit.log'), // through the exchange-to-exchange binding
        Command: contract('commands', 'anything', 'commands.unrouted'), // through the alternate exchange
        Tagged: contract('tagged', 'ignored', 'by-tag'), // headers: assumed to route
        Direct: contract('', 'billing', 'billing'), // the default exchange routes by queue name
      }),
    ).toEqual([]);
  });

  it('reports a message that does not reach the queue the contract names', () => {
    expect(checkContracts(topology, { OrderCreated: contract('orders', 'order.created.v2', 'billing') })).toEqual([
      {
        path: 'contracts.OrderCreated.routingKey',
        message:
          'a message published to exchange "orders" with routing key "order.created.v2" does not reach queue ' +
          '"billing": add a binding to the queue, or fix the routing key',
      },
    ]);
  });

  it('reports a message that reaches no queue at all', () => {
    const [issue] = checkContracts(topology, { Stray: contract('orders', 'invoice.sent') });
    expect(issue?.message).toMatch(/reaches no queue \(it would be returned as unroutable\)/);
    expect(checkContracts(topology, { Stray: contract('', 'nope') })[0]?.message).toMatch(/the default exchange/);
  });

  it('reports an undeclared or internal exchange and an unknown queue, with suggestions', () => {
    const issues = checkContracts(topology, {
      A: contract('ordrs', 'order.created'),
      B: contract('audit', 'x'),
      C: contract('orders', 'order.created', 'biling'),
    });
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['contracts.A.exchange', 'exchange "ordrs" is not in the topology; did you mean "orders"?'],
      ['contracts.B.exchange', 'exchange "audit" is internal: the broker refuses publishes to it'],
      ['contracts.C.queue', 'queue "biling" is not a work queue of the topology; did you mean "billing"?'],
    ]);
  });

  it('matches topic patterns as the broker does', () => {
    const topic = (bindingKey: string) =>
      parseTopology({
        exchanges: { t: { type: 'topic' } },
        queues: { q: { bindings: [{ exchange: 't', routingKey: bindingKey }] } },
      });
    const reaches = (bindingKey: string, routingKey: string) =>
      checkContracts(topic(bindingKey), { C: contract('t', routingKey, 'q') }).length === 0;
    expect(reaches('a.*', 'a.b')).toBe(true);
    expect(reaches('a.*', 'a')).toBe(false);
    expect(reaches('a.*', 'a.b.c')).toBe(false);
    expect(reaches('a.#', 'a')).toBe(true);
    expect(reaches('a.#', 'a.b.c')).toBe(true);
    expect(reaches('#.c', 'a.b.c')).toBe(true);
    expect(reaches('#', '')).toBe(true);
    expect(reaches('a.#.d', 'a.b.c.d')).toBe(true);
    expect(reaches('a.#.d', 'a.b.c')).toBe(false);
    expect(reaches('*.b.*', 'a.b.c')).toBe(true);
  });

  it('points at the line of the exchange or queue when the topology came from a file', () => {
    const fromFile = parseTopologyText('exchanges:\n  orders: { type: topic }\nqueues:\n  billing: {}\n');
    expect(checkContracts(fromFile, { C: contract('orders', 'x', 'billing') })[0]).toMatchObject({ line: 4 });
  });
});
