import { normaliseArguments } from './arguments';
import { deadLetterQueuePolicies } from './dead-letter-policy';
import type { ArgumentValue, BindingSpec, DesiredTopology, ExchangeSpec, QueueSpec, WorkQueueLayout } from './desired';
import { byCodeUnit, deadLetterExchangeName, deadLetterQueueName, retryQueueName } from './names';
import { groupPolicies } from './policy-groups';
import { deriveDelayLadder } from './delay-ladder';
import type { ExchangeDefinition, QueueDefinition, Topology } from './schema';

/**
 * Quorum queues: deliveries before the broker dead-letters a message, when the file sets none. RabbitMQ 4.0+
 * defaults to 20; setting it explicitly makes 3.x behave the same, so a message that crashes its consumer ends
 * up in the DLQ instead of looping forever.
 */
export const DEFAULT_DELIVERY_LIMIT = 20;

/**
 * Everything Warren declares for a topology, in broker terms: the file's exchanges and queues, and for each work
 * queue `q` its retry tiers `q.retry.<delay>`, dead-letter exchange `q.dlx` and queue `q.dlq`, the bindings, and
 * the Warren policies with their mutable settings (one per distinct definition, see `groupPolicies`; quorum DLQs get
 * one without a delivery limit, see `deadLetterQueuePolicies`). Pure and deterministic: exchanges and work queues in name
 * order; each work queue followed by its tiers (shortest delay first) and its DLQ.
 */
export function deriveTopology(topology: Topology): DesiredTopology {
  const queues = sortedEntries(topology.queues);
  const ladder = deriveDelayLadder(topology);
  return {
    exchanges: [
      ...sortedEntries(topology.exchanges).map(([name, exchange]) => exchangeSpec(name, exchange)),
      ...queues.filter(([, q]) => q.deadLetter).map(([name]) => deadLetterExchange(name)),
      ...ladder.exchanges,
    ],
    queues: [...queues.flatMap(([name, queue]) => queueSpecs(name, queue)), ...ladder.queues],
    bindings: [
      ...sortedEntries(topology.exchanges).flatMap(([name, exchange]) => exchangeBindings(name, exchange)),
      ...queues.flatMap(([name, queue]) => queueBindings(name, queue)),
      ...ladder.bindings,
    ],
    policies: groupPolicies([
      ...queues
        .map(([name, queue]) => ({ queue: name, queueType: queue.type, definition: policyDefinition(queue) }))
        .filter((entry) => Object.keys(entry.definition).length > 0),
      ...deadLetterQueuePolicies(queues),
    ]),
    workQueues: queues.map(([name, queue]) => layoutOf(name, queue)),
  };
}

/** What the consumer needs for one work queue: its tiers in order and its dead-letter objects. @internal */
export function layoutOf(name: string, queue: QueueDefinition): WorkQueueLayout {
  return {
    queue: name,
    type: queue.type,
    retryTiers: retryDelays(queue).map((delayMs) => ({ delayMs, queue: retryQueueName(name, delayMs) })),
    deadLetterQueue: queue.deadLetter ? deadLetterQueueName(name) : null,
    deadLetterExchange: queue.deadLetter ? deadLetterExchangeName(name) : null,
  };
}

function sortedEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => byCodeUnit(a, b));
}

/** The file's order: the first failure waits `delays[0]`. */
const retryDelays = (queue: QueueDefinition): readonly number[] => (queue.retry === false ? [] : queue.retry.delays);

function exchangeSpec(name: string, exchange: ExchangeDefinition): ExchangeSpec {
  const { type, durable, autoDelete, internal } = exchange;
  return { name, type, durable, autoDelete, internal, arguments: normaliseArguments(exchange.arguments) };
}

function deadLetterExchange(queue: string): ExchangeSpec {
  const name = deadLetterExchangeName(queue);
  return { name, type: 'fanout', durable: true, autoDelete: false, internal: false, arguments: {} };
}

function queueSpecs(name: string, queue: QueueDefinition): QueueSpec[] {
  const work: QueueSpec = {
    name,
    type: queue.type,
    durable: queue.durable,
    autoDelete: queue.autoDelete,
    exclusive: queue.exclusive,
    arguments: normaliseArguments({
      ...queue.arguments,
      'x-queue-type': queue.type,
      ...(queue.deadLetter ? { 'x-dead-letter-exchange': deadLetterExchangeName(name) } : {}),
    }),
    role: 'work',
    owner: name,
  };
  const tiers = [...retryDelays(queue)].sort((a, b) => a - b).map((delayMs) => retryTier(name, queue, delayMs));
  const dlq = queue.deadLetter ? [derivedQueue(deadLetterQueueName(name), name, queue, 'dead-letter', {})] : [];
  return [work, ...tiers, ...dlq];
}

/**
 * A delay tier: a fixed TTL (never per-message expiration, which blocks short delays behind long ones) and,
 * on expiry, straight back to `q` — and only `q` — through the default exchange.
 */
function retryTier(name: string, queue: QueueDefinition, delayMs: number): QueueSpec {
  const args: Record<string, ArgumentValue> = {
    'x-message-ttl': delayMs,
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': name,
  };
  // At-least-once so a waiting retry is not lost on its way back; it needs reject-publish to take effect.
  if (queue.type === 'quorum')
    Object.assign(args, { 'x-dead-letter-strategy': 'at-least-once', 'x-overflow': 'reject-publish' });
  return derivedQueue(retryQueueName(name, delayMs), name, queue, 'retry', args);
}

/** Tiers and the DLQ are always durable and permanent, whatever the work queue: they hold messages in transit. */
function derivedQueue(
  name: string,
  owner: string,
  queue: QueueDefinition,
  role: QueueSpec['role'],
  args: Record<string, ArgumentValue>,
): QueueSpec {
  const allArgs = normaliseArguments({ ...args, 'x-queue-type': queue.type });
  return {
    name,
    type: queue.type,
    durable: true,
    autoDelete: false,
    exclusive: false,
    arguments: allArgs,
    role,
    owner,
  };
}

function exchangeBindings(name: string, exchange: ExchangeDefinition): BindingSpec[] {
  return unique(exchange.bindings.map((b) => binding(b.exchange, name, 'exchange', b.routingKey, b.arguments)));
}

function queueBindings(name: string, queue: QueueDefinition): BindingSpec[] {
  const own = queue.bindings.map((b) => binding(b.exchange, name, 'queue', b.routingKey, b.arguments));
  const dlq = queue.deadLetter
    ? [binding(deadLetterExchangeName(name), deadLetterQueueName(name), 'queue', '', {})]
    : [];
  return [...unique(own), ...dlq];
}

function binding(
  source: string,
  destination: string,
  destinationType: BindingSpec['destinationType'],
  routingKey: string,
  args: Readonly<Record<string, ArgumentValue>>,
): BindingSpec {
  // Not normalised: on a headers exchange these are header values, matched with their type ('10' is not 10).
  const sorted = Object.fromEntries(
    Object.keys(args)
      .sort()
      .map((key) => [key, args[key]]),
  );
  return { source, destination, destinationType, routingKey, arguments: sorted as BindingSpec['arguments'] };
}

/** The same binding listed twice is one binding on the broker. */
function unique(bindings: BindingSpec[]): BindingSpec[] {
  const seen = new Set<string>();
  return bindings.filter((b) => {
    const key = JSON.stringify([b.source, b.routingKey, b.arguments]);
    return !seen.has(key) && (seen.add(key), true);
  });
}

/**
 * The mutable settings, as policy keys. Quorum queues also get a delivery limit (default 20) and, when they
 * dead-letter and nothing rules it out, `dead-letter-strategy: at-least-once` with the `reject-publish`
 * overflow it needs: the broker then keeps a dead letter until the DLQ has confirmed it. No default is added for
 * a setting the file gives as an x-argument (to match an existing queue): the policy would silently override it.
 */
export function policyDefinition(queue: QueueDefinition): Record<string, ArgumentValue> {
  const { maxLength, maxLengthBytes, messageTtl } = queue.limits;
  const quorum = queue.type === 'quorum';
  const given = (key: string): boolean => Object.hasOwn(queue.arguments, `x-${key}`);
  const overflowGiven = queue.limits.overflow ?? queue.arguments['x-overflow'];
  const atLeastOnce =
    quorum &&
    queue.deadLetter &&
    queue.limits.deadLetterStrategy === undefined &&
    !given('dead-letter-strategy') &&
    (overflowGiven === undefined || overflowGiven === 'reject-publish');
  const deadLetterStrategy = queue.limits.deadLetterStrategy ?? (atLeastOnce ? 'at-least-once' : undefined);
  const needsRejectPublish = quorum && deadLetterStrategy === 'at-least-once' && overflowGiven === undefined;
  const definition: Record<string, unknown> = {
    'max-length': maxLength,
    'max-length-bytes': maxLengthBytes,
    overflow: queue.limits.overflow ?? (needsRejectPublish ? 'reject-publish' : undefined),
    'message-ttl': messageTtl,
    ...(quorum
      ? {
          'delivery-limit':
            queue.limits.deliveryLimit ?? (given('delivery-limit') ? undefined : DEFAULT_DELIVERY_LIMIT),
          'dead-letter-strategy': deadLetterStrategy,
        }
      : {}),
  };
  return normaliseArguments(Object.fromEntries(Object.entries(definition).filter(([, v]) => v !== undefined)));
}
