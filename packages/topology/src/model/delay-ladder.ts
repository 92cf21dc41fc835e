import {
  DELAY_DELIVERY_EXCHANGE,
  DELAY_LEVELS,
  delayLevelName,
  deliveryPattern,
  levelPattern,
  nextDelayHop,
} from '@warren/core';
import { normaliseArguments } from './arguments';
import type { BindingSpec, ExchangeSpec, QueueSpec } from './desired';
import { byCodeUnit } from './names';
import type { Topology } from './schema';

/** The objects of the delay ladder, shared by every scheduled exchange of a vhost (see `@warren/core`'s `delay-ladder`). */
export interface DelayLadderSpec {
  readonly exchanges: readonly ExchangeSpec[];
  readonly queues: readonly QueueSpec[];
  readonly bindings: readonly BindingSpec[];
}

/** The owner of the ladder's queues in `QueueSpec.owner`. */
export const DELAY_LADDER_OWNER = 'warren.delay';

/** Is this one of the ladder's shared objects (exchange or queue)? `deleteTopology` leaves them alone. */
export const isDelayLadderObject = (name: string): boolean =>
  name === DELAY_DELIVERY_EXCHANGE || /^warren\.delay\.level\.\d\d$/.test(name);

/**
 * The exchanges whose messages can be scheduled: each declared exchange with `scheduling: true`, or all of them
 * (and the default exchange) with the file's `scheduling: true`, except those that say `scheduling: false`.
 */
export function scheduledExchanges(topology: Topology): string[] {
  const all = topology.scheduling === true;
  const declared = Object.entries(topology.exchanges)
    .filter(([, exchange]) => exchange.scheduling ?? all)
    .map(([name]) => name);
  return [...(all ? [''] : []), ...declared].sort(byCodeUnit);
}

/**
 * The ladder (empty when nothing is scheduled): `DELAY_LEVELS` topic exchanges and quorum queues (TTL 2^n s,
 * at-least-once dead-lettering to the next hop), the delivery exchange, and for each queue bound to a scheduled
 * exchange the delivery exchange's binding that reproduces that binding on the ladder's routing key.
 */
export function deriveDelayLadder(topology: Topology): DelayLadderSpec {
  const scheduled = scheduledExchanges(topology);
  if (scheduled.length === 0) return { exchanges: [], queues: [], bindings: [] };
  const levels = [...Array(DELAY_LEVELS).keys()].reverse();
  return {
    exchanges: [...levels.map((n) => topicExchange(delayLevelName(n))), topicExchange(DELAY_DELIVERY_EXCHANGE)],
    queues: levels.map(levelQueue),
    bindings: [...levels.flatMap(levelBindings), ...deliveryBindings(topology, scheduled)],
  };
}

function topicExchange(name: string): ExchangeSpec {
  return { name, type: 'topic', durable: true, autoDelete: false, internal: false, arguments: {} };
}

/** Quorum, so a waiting message survives a node loss; at-least-once, so it is not lost between two levels. */
function levelQueue(level: number): QueueSpec {
  return {
    name: delayLevelName(level),
    type: 'quorum',
    durable: true,
    autoDelete: false,
    exclusive: false,
    arguments: normaliseArguments({
      'x-queue-type': 'quorum',
      'x-message-ttl': 2 ** level * 1000,
      'x-dead-letter-exchange': nextDelayHop(level),
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    }),
    role: 'delay',
    owner: DELAY_LADDER_OWNER,
  };
}

function levelBindings(level: number): BindingSpec[] {
  const name = delayLevelName(level);
  return [
    ladderBinding(name, name, 'queue', levelPattern(level, 1)),
    ladderBinding(name, nextDelayHop(level), 'exchange', levelPattern(level, 0)),
  ];
}

/** Direct and topic bindings keep their key; a fanout binding matches every key; the default exchange, the queue name. */
function deliveryBindings(topology: Topology, scheduled: readonly string[]): BindingSpec[] {
  const out = new Map<string, BindingSpec>();
  const add = (exchange: string, queue: string, key: string): void => {
    const spec = ladderBinding(DELAY_DELIVERY_EXCHANGE, queue, 'queue', deliveryPattern(exchange, key));
    out.set(`${queue}\n${spec.routingKey}`, spec);
  };
  for (const [queue, definition] of Object.entries(topology.queues).sort(([a], [b]) => byCodeUnit(a, b))) {
    if (scheduled.includes('')) add('', queue, queue);
    for (const binding of definition.bindings) {
      if (!scheduled.includes(binding.exchange)) continue;
      const fanout = topology.exchanges[binding.exchange]?.type === 'fanout';
      add(binding.exchange, queue, fanout ? '#' : binding.routingKey);
    }
  }
  return [...out.values()];
}

function ladderBinding(
  source: string,
  destination: string,
  destinationType: BindingSpec['destinationType'],
  routingKey: string,
): BindingSpec {
  return { source, destination, destinationType, routingKey, arguments: {} };
}

/**
 * What the ladder cannot reproduce on a scheduled exchange, as messages for `parseTopology`: a headers exchange
 * (its bindings match headers, not keys), an exchange-to-exchange binding out of it (the next exchange would see
 * the ladder's key), and a direct binding key with a `*` or `#` word (the delivery exchange is a topic exchange).
 */
export function schedulingProblems(topology: Topology): { path: (string | number)[]; message: string }[] {
  const scheduled = new Set(scheduledExchanges(topology));
  const problems: { path: (string | number)[]; message: string }[] = [];
  for (const [name, exchange] of Object.entries(topology.exchanges)) {
    if (scheduled.has(name) && exchange.type === 'headers')
      problems.push({
        path: ['exchanges', name],
        message: `a headers exchange cannot be scheduled (set scheduling: false)`,
      });
    exchange.bindings.forEach((b, i) => {
      if (scheduled.has(b.exchange))
        problems.push({
          path: ['exchanges', name, 'bindings', i],
          message: `scheduled exchange ${JSON.stringify(b.exchange)} cannot forward to another exchange: the delay ladder delivers to queues only; bind the queues to it directly or set scheduling: false on it`,
        });
    });
  }
  for (const [name, queue] of Object.entries(topology.queues))
    queue.bindings.forEach((b, i) => {
      const direct = topology.exchanges[b.exchange]?.type === 'direct';
      if (scheduled.has(b.exchange) && direct && b.routingKey.split('.').some((w) => w === '*' || w === '#'))
        problems.push({
          path: ['queues', name, 'bindings', i, 'routingKey'],
          message: `a direct binding key with a "*" or "#" word cannot be scheduled (the delay ladder matches keys as topic patterns)`,
        });
    });
  return problems;
}
