import type { ExchangeType } from './desired';
import type { Topology } from './schema';

/** Exchanges every vhost has; a file may bind to them but not declare them. @internal */
export const PREDECLARED_EXCHANGES: Readonly<Record<string, ExchangeType>> = {
  'amq.direct': 'direct',
  'amq.fanout': 'fanout',
  'amq.topic': 'topic',
  'amq.headers': 'headers',
  'amq.match': 'headers',
};

/** The type of a declared or predeclared exchange. @internal */
export function exchangeTypeOf(topology: Topology, name: string): ExchangeType | undefined {
  if (Object.hasOwn(topology.exchanges, name)) return topology.exchanges[name]?.type;
  return Object.hasOwn(PREDECLARED_EXCHANGES, name) ? PREDECLARED_EXCHANGES[name] : undefined;
}

/** Does a binding key match a routing key on an exchange of this type? Headers bindings are assumed to match. */
export function bindingMatches(type: ExchangeType, bindingKey: string, routingKey: string): boolean {
  if (type === 'fanout' || type === 'headers') return true;
  if (type === 'direct') return bindingKey === routingKey;
  return topicMatches(bindingKey.split('.'), routingKey.split('.'));
}

/** AMQP topic matching: `*` is exactly one word, `#` zero or more. */
function topicMatches(pattern: readonly string[], words: readonly string[]): boolean {
  const [head, ...rest] = pattern;
  if (head === undefined) return words.length === 0;
  if (head === '#') return topicMatches(rest, words) || (words.length > 0 && topicMatches(pattern, words.slice(1)));
  if (words.length === 0) return false;
  return (head === '*' || head === words[0]) && topicMatches(rest, words.slice(1));
}

/**
 * The queues of the file a message published to `exchange` with `routingKey` reaches, through exchange-to-exchange
 * bindings and alternate exchanges. Headers exchanges are assumed to match (their routing depends on the headers).
 * @internal
 */
export function queuesReached(topology: Topology, exchange: string, routingKey: string): Set<string> {
  const reached = new Set<string>();
  const visit = (source: string, seen: ReadonlySet<string>): void => {
    const type = exchangeTypeOf(topology, source);
    if (type === undefined || seen.has(source)) return;
    const next = new Set([...seen, source]);
    const matches = (bindings: readonly { exchange: string; routingKey: string }[]) =>
      bindings.some((b) => b.exchange === source && bindingMatches(type, b.routingKey, routingKey));
    const queues = Object.entries(topology.queues).filter(([, queue]) => matches(queue.bindings));
    const exchanges = Object.entries(topology.exchanges).filter(([, target]) => matches(target.bindings));
    for (const [name] of queues) reached.add(name);
    for (const [name] of exchanges) visit(name, next);
    const routed = queues.length + exchanges.length > 0;
    const alternate = topology.exchanges[source]?.arguments['alternate-exchange'];
    if (!routed && typeof alternate === 'string') visit(alternate, next);
  };
  if (exchange === '') {
    if (Object.hasOwn(topology.queues, routingKey)) reached.add(routingKey);
  } else visit(exchange, new Set());
  return reached;
}
