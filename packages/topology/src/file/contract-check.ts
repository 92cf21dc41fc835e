import type { MessageContract } from '@warren/core';
import { suggestion } from '../model/did-you-mean';
import { locationOf } from './locations';
import { exchangeTypeOf, queuesReached } from '../model/routing';
import type { Topology } from '../model/schema';
import { formatPath, type IssuePath, type TopologyIssue } from './validation-error';

/**
 * Checks message contracts against the topology, before anything is published: the contract's exchange is
 * declared and not internal, and a message with its routing key reaches a queue — its own `queue` when it names
 * one (which must be a work queue). A message that reaches no queue is returned as unroutable (or silently
 * dropped without `mandatory`), so these are worth failing a build or a start-up on.
 *
 * Headers exchanges are assumed to route (their routing depends on the message headers). Issue paths are
 * `contracts.<name>.<field>`.
 *
 * @example
 * const issues = checkContracts(topology, { OrderCreated, PostCreated });
 * if (issues.length) throw new TopologyValidationError(issues);
 */
export function checkContracts(
  topology: Topology,
  contracts: Readonly<Record<string, MessageContract>>,
): TopologyIssue[] {
  return Object.entries(contracts).flatMap(([name, contract]) =>
    contractIssues(topology, contract).map(([field, message]) => {
      const path: IssuePath = ['contracts', name, field];
      const at = field === 'exchange' ? ['exchanges', contract.exchange] : ['queues', contract.queue ?? ''];
      return { path: formatPath(path), message, ...locationOf(topology, at) };
    }),
  );
}

type ContractIssue = [field: 'exchange' | 'routingKey' | 'queue', message: string];

function contractIssues(topology: Topology, contract: MessageContract): ContractIssue[] {
  const { exchange, routingKey, queue } = contract;
  if (exchange !== '' && exchangeTypeOf(topology, exchange) === undefined)
    return [
      [
        'exchange',
        `exchange ${JSON.stringify(exchange)} is not in the topology${suggestion(exchange, Object.keys(topology.exchanges))}`,
      ],
    ];
  if (topology.exchanges[exchange]?.internal)
    return [['exchange', `exchange ${JSON.stringify(exchange)} is internal: the broker refuses publishes to it`]];
  if (queue !== undefined && !Object.hasOwn(topology.queues, queue))
    return [
      [
        'queue',
        `queue ${JSON.stringify(queue)} is not a work queue of the topology${suggestion(queue, Object.keys(topology.queues))}`,
      ],
    ];
  const reached = queuesReached(topology, exchange, routingKey);
  const target = `${exchange === '' ? 'the default exchange' : `exchange ${JSON.stringify(exchange)}`} with routing key ${JSON.stringify(routingKey)}`;
  if (queue !== undefined && !reached.has(queue))
    return [
      [
        'routingKey',
        `a message published to ${target} does not reach queue ${JSON.stringify(queue)}: add a binding to the queue, or fix the routing key`,
      ],
    ];
  if (reached.size === 0)
    return [
      [
        'routingKey',
        `a message published to ${target} reaches no queue (it would be returned as unroutable): add a binding`,
      ],
    ];
  return [];
}
