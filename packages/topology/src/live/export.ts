import type { ArgumentValue, DesiredTopology, QueueType } from '../model/desired';
import { deriveTopology } from '../model/derive';
import { diffTopology } from './diff';
import { readLiveTopology, type LiveTopology } from './read';
import type { LiveBinding, LiveExchange, LivePolicy, LiveQueue } from './management';
import {
  deadLetterExchangeName,
  deadLetterQueueName,
  formatDelay,
  parseDelay,
  POLICY_PREFIX,
  policyPatternQueues,
} from '../model/names';
import { parseTopology } from '../file/parse';
import { policyOfQueue } from '../model/policy-groups';
import { NO_DELIVERY_LIMIT } from '../model/dead-letter-policy';
import type { TopologyInput } from '../model/schema';
import { resolveTarget, type TopologyTarget } from './target';

type QueueInput = NonNullable<TopologyInput['queues']>[string];
type ExchangeInput = NonNullable<TopologyInput['exchanges']>[string];
type Limits = NonNullable<QueueInput['limits']>;

/**
 * The live vhost as a topology file that `applyTopology` accepts unchanged: a second apply of the export is a
 * no-op. Warren's derived objects are folded back into their work queue (`q.retry.<delay>` → `retry.delays`,
 * `q.dlx`/`q.dlq` → `deadLetter`, the Warren policy whose pattern names `q` → `limits`) when they are exactly what Warren would derive;
 * anything else is exported as it is. Exclusive queues and `amq.*` objects are left out.
 */
export async function exportTopology(target: TopologyTarget, filter: ExportFilter = {}): Promise<TopologyInput> {
  return topologyFromLive(await readLiveTopology(resolveTarget(target).management), filter);
}

/** Which part of a shared vhost `exportTopology` writes: the work queues it keeps, and the exchanges they use. */
export interface ExportFilter {
  /**
   * Only the queues whose name starts with this (their retry tiers and dead-letter objects fold in as usual).
   * @default every queue
   */
  readonly prefix?: string;
  /**
   * Only these queues.
   * @default every queue
   */
  readonly queues?: readonly string[];
}

/** The pure part of `exportTopology`. @internal */
export function topologyFromLive(live: LiveTopology, filter: ExportFilter = {}): TopologyInput {
  const all = wholeVhost(live);
  if (filter.prefix === undefined && filter.queues === undefined) return all;
  const wanted = (name: string): boolean =>
    (filter.prefix === undefined || name.startsWith(filter.prefix)) &&
    (filter.queues === undefined || filter.queues.includes(name));
  const queues = Object.entries(all.queues ?? {}).filter(([name]) => wanted(name));
  return { exchanges: exchangesUsed(all, queues), queues: Object.fromEntries(queues) };
}

/** The exchanges the kept queues are bound to, and the exchanges those are bound to, and so on. */
function exchangesUsed(all: TopologyInput, queues: ReadonlyArray<[string, QueueInput]>): Record<string, ExchangeInput> {
  const exchanges = all.exchanges ?? {};
  const used = new Set(queues.flatMap(([, q]) => (q.bindings ?? []).map((b) => b.exchange)));
  for (const name of used) for (const binding of exchanges[name]?.bindings ?? []) used.add(binding.exchange); // a Set iterates additions
  return Object.fromEntries(Object.entries(exchanges).filter(([name]) => used.has(name)));
}

function wholeVhost(live: LiveTopology): TopologyInput {
  const candidates = live.queues.filter((q) => !q.exclusive && !q.name.startsWith('amq.'));
  const folds = new Map(candidates.map((q) => [q.name, fold(q, live)]));
  const derived = new Set([...folds.values()].flatMap((f) => f.owns));
  const queues = candidates.filter((q) => !derived.has(q.name)).sort(byName);
  const exchanges = live.exchanges.filter((e) => !derived.has(`exchange:${e.name}`)).sort(byName);
  return {
    exchanges: Object.fromEntries(exchanges.map((e) => [e.name, exchangeEntry(e, live.bindings)])),
    queues: Object.fromEntries(queues.map((q) => [q.name, folds.get(q.name)?.entry as QueueInput])),
  };
}

const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

interface Fold {
  readonly entry: QueueInput;
  /** Queues (and `exchange:`-prefixed exchanges) folded into this entry. */
  readonly owns: readonly string[];
}

/** A queue's file entry, with its retry tiers, dead-letter objects and policy folded in where they match. */
function fold(queue: LiveQueue, live: LiveTopology): Fold {
  const type: QueueType = queue.type === 'quorum' ? 'quorum' : 'classic';
  const delays = retryDelays(queue.name, type, live);
  const deadLetter = hasDeadLetter(queue, type, live);
  const { 'x-queue-type': _type, ...args } = queue.arguments;
  if (deadLetter) delete args['x-dead-letter-exchange'];
  const entry: QueueInput = {
    type,
    ...(queue.durable ? {} : { durable: false }),
    ...(queue.auto_delete ? { autoDelete: true } : {}),
    ...bindingsOf(live.bindings, queue.name, deadLetter ? deadLetterExchangeName(queue.name) : undefined),
    ...(delays.length > 0 ? { retry: { delays: delays.map(formatDelay) } } : {}),
    ...(deadLetter ? {} : { deadLetter: false }),
    ...(Object.keys(args).length > 0 ? { arguments: args as Record<string, ArgumentValue> } : {}),
  };
  const limits = limitsOf(queue.name, entry, live);
  const owns = [
    ...delays.map((d) => `${queue.name}.retry.${formatDelay(d)}`),
    ...(deadLetter ? [deadLetterQueueName(queue.name), `exchange:${deadLetterExchangeName(queue.name)}`] : []),
  ];
  return { entry: limits ? { ...entry, limits } : entry, owns };
}

/** Delays of the live `q.retry.<delay>` queues that are exactly the tiers Warren derives for `q`. */
function retryDelays(name: string, type: QueueType, live: LiveTopology): number[] {
  const prefix = `${name}.retry.`;
  const delays = live.queues
    .filter((q) => q.name.startsWith(prefix))
    .map((q) => parseDelay(q.name.slice(prefix.length)))
    .filter((d): d is number => d !== undefined && `${prefix}${formatDelay(d)}` !== name);
  return delays
    .filter((d) => derivesLive(name, { type, deadLetter: false, retry: { delays: [d] } }, live))
    .sort((a, b) => a - b);
}

/** Whether `q.dlx` (fanout) → `q.dlq` exist as Warren derives them and `q` dead-letters to `q.dlx`. */
function hasDeadLetter(queue: LiveQueue, type: QueueType, live: LiveTopology): boolean {
  if (queue.arguments['x-dead-letter-exchange'] !== deadLetterExchangeName(queue.name)) return false;
  return derivesLive(queue.name, { type, deadLetter: true }, live);
}

/** The derived topology of one queue entry. */
function derive(name: string, entry: QueueInput): DesiredTopology {
  return deriveTopology(parseTopology({ queues: { [name]: entry } }));
}

/** Like `matches(derive(...))`, false when the entry does not even parse (a name the file format refuses). */
function derivesLive(name: string, entry: QueueInput, live: LiveTopology): boolean {
  try {
    return matches(derive(name, entry), live, [name]);
  } catch {
    return false;
  }
}

/** Every derived exchange, queue and binding (policies and the `skip`ped queues aside) is live and unchanged. */
function matches(desired: DesiredTopology, live: LiveTopology, skip: readonly string[]): boolean {
  return diffTopology(desired, live, { vhost: '' })
    .items.filter((item) => item.kind !== 'policy' && !skip.includes(item.name))
    .every((item) => item.action === 'unchanged');
}

/**
 * The `limits` whose derived policy equals the live Warren policy naming `q` in its pattern (`^(?:a|q|z)$`, or
 * `^q$` from before grouping), leaving out the keys Warren would fill in anyway (quorum delivery limit,
 * at-least-once dead-lettering); undefined when there is no such policy.
 */
function limitsOf(name: string, entry: QueueInput, live: LiveTopology): Limits | undefined {
  const policy = warrenPolicies(live).get(name);
  if (!policy) return undefined;
  const limits: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(POLICY_KEYS)) {
    const value = policy.definition[key];
    // "No delivery limit" is how Warren's own policy keeps a quorum DLQ; not something a file can say (or needs to).
    if (value !== undefined && !(key === 'delivery-limit' && value === NO_DELIVERY_LIMIT))
      limits[field] = field === 'messageTtl' && typeof value === 'number' ? formatDelay(value) : value;
  }
  const wanted = JSON.stringify(policy.definition);
  const policyOf = (l: Record<string, unknown>) =>
    JSON.stringify(
      policyOfQueue(derive(name, { ...entry, bindings: [], limits: l as Limits }).policies, name)?.definition ?? {},
    );
  for (const field of ['deliveryLimit', 'deadLetterStrategy', 'overflow']) {
    const { [field]: _dropped, ...without } = limits;
    if (field in limits && policyOf(without) === wanted) delete limits[field];
  }
  return Object.keys(limits).length > 0 ? (limits as Limits) : undefined;
}

/** Work queue → the Warren policy naming it (the highest priority, then the first name, if several do). */
const policyIndexes = new WeakMap<LiveTopology, Map<string, LivePolicy>>();

function warrenPolicies(live: LiveTopology): Map<string, LivePolicy> {
  let index = policyIndexes.get(live);
  if (index) return index;
  index = new Map();
  const ranked = live.policies
    .filter((p) => p.name.startsWith(POLICY_PREFIX))
    .sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : 1));
  for (const policy of ranked)
    for (const queue of policyPatternQueues(policy.pattern) ?? []) if (!index.has(queue)) index.set(queue, policy);
  policyIndexes.set(live, index);
  return index;
}

/** Policy keys → `limits` fields. */
const POLICY_KEYS: Readonly<Record<string, keyof Limits>> = {
  'max-length': 'maxLength',
  'max-length-bytes': 'maxLengthBytes',
  overflow: 'overflow',
  'message-ttl': 'messageTtl',
  'delivery-limit': 'deliveryLimit',
  'dead-letter-strategy': 'deadLetterStrategy',
};

function bindingsOf(bindings: readonly LiveBinding[], destination: string, except?: string) {
  const own = bindings
    .filter((b) => b.destination_type === 'queue' && b.destination === destination && b.source !== except)
    .map(bindingEntry);
  return own.length > 0 ? { bindings: own } : {};
}

function bindingEntry(b: LiveBinding) {
  const args = b.arguments ?? {};
  return {
    exchange: b.source,
    routingKey: b.routing_key,
    ...(Object.keys(args).length > 0 ? { arguments: args as Record<string, ArgumentValue> } : {}),
  };
}

function exchangeEntry(exchange: LiveExchange, bindings: readonly LiveBinding[]): ExchangeInput {
  const sources = bindings.filter((b) => b.destination_type === 'exchange' && b.destination === exchange.name);
  const args = exchange.arguments ?? {};
  return {
    type: exchange.type as ExchangeInput['type'],
    ...(exchange.durable ? {} : { durable: false }),
    ...(exchange.auto_delete ? { autoDelete: true } : {}),
    ...(exchange.internal ? { internal: true } : {}),
    ...(Object.keys(args).length > 0 ? { arguments: args as Record<string, ArgumentValue> } : {}),
    ...(sources.length > 0 ? { bindings: sources.map(bindingEntry) } : {}),
  };
}
