import { normaliseArguments } from '../model/arguments';
import type { BindingSpec, DesiredTopology, ExchangeSpec, PolicySpec, QueueSpec, QueueType } from '../model/desired';
import type { LiveBinding, LiveExchange, LivePolicy, LiveQueue } from './management';
import type { LiveTopology } from './read';
import { byCodeUnit, POLICY_PREFIX, policyPattern, policyPatternQueues } from '../model/names';
import { isDelayLadderObject } from '../model/delay-ladder';
import type { ExtraObject, PlanAction, PlanItem, PropertyDiff, TopologyPlan } from './plan-types';
import { policyBody } from './policy-body';
import { policiesForBroker } from './policies-for-broker';

export interface DiffOptions {
  /** The vhost the live topology was read from; copied into `TopologyPlan.vhost`. Required. */
  readonly vhost: string;
  /**
   * Also delete `warren.` policies that name queues not in the file (or whose pattern is not a list of names). Off
   * by default: several topology files (services) may share a vhost, and each owns only its own queues' policies.
   * @default false
   */
  readonly prunePolicies?: boolean;
}

/**
 * Compares the desired topology with the live one: the pure heart of `plan` (no I/O, unit-tested).
 * Arguments and policy definitions are compared normalised (`normaliseArguments`: `'1000'` is `1000` for an
 * integer key), as the broker compares them.
 */
export function diffTopology(wanted: DesiredTopology, live: LiveTopology, options: DiffOptions): TopologyPlan {
  const desired = policiesForBroker(wanted, live.brokerVersion);
  const items: PlanItem[] = [
    ...desired.exchanges.map((spec) => exchangeItem(spec, byName(live.exchanges).get(spec.name))),
    ...desired.queues.map((spec) => queueItem(spec, byName(live.queues).get(spec.name))),
    ...bindingItems(desired.bindings, live.bindings),
    ...policyItems(desired, live, options),
  ];
  const extra = [...extraBindings(desired, live.bindings), ...extraPolicies(desired, live, options)];
  const counts = { create: 0, unchanged: 0, update: 0, drift: 0, delete: 0 } satisfies Record<PlanAction, number>;
  for (const item of items) counts[item.action]++;
  return {
    vhost: options.vhost,
    brokerVersion: live.brokerVersion,
    items,
    extra,
    hasChanges: counts.create + counts.update + counts.delete > 0,
    hasDrift: counts.drift > 0,
    counts,
  };
}

function exchangeItem(spec: ExchangeSpec, found: LiveExchange | undefined): PlanItem {
  if (!found) return { kind: 'exchange', name: spec.name, action: 'create', differences: [], spec };
  const differences = [
    ...compare('type', found.type, spec.type),
    ...compare('durable', found.durable, spec.durable),
    ...compare('autoDelete', found.auto_delete, spec.autoDelete),
    ...compare('internal', found.internal, spec.internal),
    ...compareArguments(found.arguments, spec.arguments),
  ];
  return { kind: 'exchange', name: spec.name, action: differences.length ? 'drift' : 'unchanged', differences, spec };
}

function queueItem(spec: QueueSpec, found: LiveQueue | undefined): PlanItem {
  if (!found) return { kind: 'queue', name: spec.name, action: 'create', differences: [], spec };
  const differences = [
    // `x-queue-type` is compared through `type`: a classic queue declared without it reports no argument.
    ...compare('type', found.type ?? 'classic', spec.type),
    ...compare('durable', found.durable, spec.durable),
    ...compare('autoDelete', found.auto_delete, spec.autoDelete),
    ...compareArguments(withoutQueueType(found.arguments), withoutQueueType(spec.arguments)),
  ];
  return { kind: 'queue', name: spec.name, action: differences.length ? 'drift' : 'unchanged', differences, spec };
}

function withoutQueueType(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { 'x-queue-type': _type, ...rest } = args;
  return rest;
}

/** `source -> destination [routingKey]`: how a binding is named in plans and errors. */
export function bindingName(b: BindingSpec): string {
  return `${b.source} -> ${b.destinationType === 'exchange' ? 'exchange ' : ''}${b.destination} [${b.routingKey}]`;
}

function liveBindingSpec(b: LiveBinding): BindingSpec {
  return {
    source: b.source,
    destination: b.destination,
    destinationType: b.destination_type,
    routingKey: b.routing_key,
    arguments: (b.arguments ?? {}) as BindingSpec['arguments'],
  };
}

function bindingKey(b: BindingSpec): string {
  return JSON.stringify([b.source, b.destinationType, b.destination, b.routingKey, canonical(b.arguments)]);
}

/** The keys of a live binding list, computed once per list (export diffs the same live state many times). */
const bindingKeys = new WeakMap<readonly LiveBinding[], Set<string>>();

function bindingItems(desired: readonly BindingSpec[], live: readonly LiveBinding[]): PlanItem[] {
  let liveKeys = bindingKeys.get(live);
  if (!liveKeys) bindingKeys.set(live, (liveKeys = new Set(live.map((b) => bindingKey(liveBindingSpec(b))))));
  return desired.map((spec) => ({
    kind: 'binding',
    name: bindingName(spec),
    action: liveKeys.has(bindingKey(spec)) ? 'unchanged' : 'create',
    differences: [],
    spec,
  }));
}

/** Live bindings from or to an object of the file that the file does not declare (apply leaves them alone). */
function extraBindings(desired: DesiredTopology, live: readonly LiveBinding[]): ExtraObject[] {
  const wanted = new Set(desired.bindings.map(bindingKey));
  const queues = new Set(desired.queues.map((q) => q.name));
  const exchanges = new Set(desired.exchanges.map((e) => e.name));
  return (
    live
      .map(liveBindingSpec)
      .filter((b) => exchanges.has(b.source) || (b.destinationType === 'queue' && queues.has(b.destination)))
      // The ladder is shared: its delivery bindings to another file's queues are that file's, not extras of this one.
      .filter((b) => !isDelayLadderObject(b.source) || queues.has(b.destination) || exchanges.has(b.destination))
      .filter((b) => !wanted.has(bindingKey(b)))
      .map((b) => ({ kind: 'binding', name: bindingName(b) }))
  );
}

function policyItems(desired: DesiredTopology, live: LiveTopology, options: DiffOptions): PlanItem[] {
  const policies = byName(live.policies);
  const queues = new Set(desired.queues.map((q) => q.name));
  const wanted = desired.policies.map((spec) => {
    const found = policies.get(spec.name);
    const kept = options.prunePolicies === true ? spec : retaining(spec, found, queues, live.policies);
    return policyItem(kept, found, live.brokerVersion);
  });
  const orphans = orphanPolicies(desired, live, options).filter((o) => o.action !== 'keep');
  return [...wanted, ...orphans.map((o) => o.item)];
}

function policyItem(spec: PolicySpec, found: LivePolicy | undefined, brokerVersion: string): PlanItem {
  if (!found) return { kind: 'policy', name: spec.name, action: 'create', differences: [], spec };
  const body = policyBody(spec, brokerVersion);
  const differences = [
    ...compare('pattern', found.pattern, body.pattern),
    ...compare('apply-to', found['apply-to'], body['apply-to']),
    ...compare('priority', found.priority, body.priority),
    ...compareArguments(found.definition, body.definition, 'definition.'),
  ];
  return { kind: 'policy', name: spec.name, action: differences.length ? 'update' : 'unchanged', differences, spec };
}

/**
 * The wanted policy, still naming the queues outside the file its live version names (queues removed from the file
 * but still live): apply leaves their limits alone, as it leaves every object outside the file alone. Not a queue
 * another `warren.` policy names (it moved to another file, which now holds its limits).
 */
function retaining(
  spec: PolicySpec,
  found: LivePolicy | undefined,
  queues: ReadonlySet<string>,
  policies: readonly LivePolicy[],
): PolicySpec {
  if (!found) return spec;
  const claimed = (queue: string) =>
    policies.some(
      (p) => p !== found && p.name.startsWith(POLICY_PREFIX) && policyPatternQueues(p.pattern)?.includes(queue),
    );
  const outside = policyPatternQueues(found.pattern)?.filter((q) => !queues.has(q) && !claimed(q)) ?? [];
  if (outside.length === 0) return spec;
  const names = [...spec.queues, ...outside].sort(byCodeUnit);
  return { ...spec, queues: names, pattern: policyPattern(names) };
}

interface Orphan {
  readonly action: 'delete' | 'update' | 'keep';
  readonly item: PlanItem;
}

/**
 * The live `warren.` policies the file does not ask for, and what apply does with each. The file owns a policy
 * whose pattern names only queues of the file (what an earlier apply of the file produced: a group whose members
 * or limits changed, a per-queue policy from before grouping): it is deleted. A policy naming queues of the file
 * and others (a queue removed from the file but still live) is trimmed to the others, so it keeps their limits
 * and no queue of the file matches two Warren policies. Anything else (another file's, or an expression that is
 * not a list of names) is kept and listed in `extra`. `prunePolicies` deletes them all.
 */
function orphanPolicies(desired: DesiredTopology, live: LiveTopology, options: DiffOptions): Orphan[] {
  const wanted = new Set(desired.policies.map((p) => p.name));
  const queues = new Set(desired.queues.map((q) => q.name));
  return live.policies
    .filter((p) => p.name.startsWith(POLICY_PREFIX) && !wanted.has(p.name))
    .map((p): Orphan => {
      const named = policyPatternQueues(p.pattern);
      const others = named?.filter((q) => !queues.has(q)) ?? [];
      const drop: PlanItem = { kind: 'policy', name: p.name, action: 'delete', differences: [] };
      if (options.prunePolicies === true || (named !== undefined && others.length === 0))
        return { action: 'delete', item: drop };
      if (named === undefined || others.length === named.length) return { action: 'keep', item: drop };
      const spec: PolicySpec = {
        name: p.name,
        pattern: policyPattern(others),
        queues: others,
        queueType: trimmedType(p, others, live),
        priority: p.priority,
        definition: normaliseArguments(p.definition) as PolicySpec['definition'],
      };
      return { action: 'update', item: policyItem(spec, p, live.brokerVersion) };
    });
}

/** The queue type a trimmed policy keeps applying to: from its `apply-to`, else from a queue it still names. */
function trimmedType(policy: LivePolicy, queues: readonly string[], live: LiveTopology): QueueType {
  if (policy['apply-to'] === 'quorum_queues') return 'quorum';
  if (policy['apply-to'] === 'classic_queues') return 'classic';
  const queue = queues.map((name) => byName(live.queues).get(name)).find((q) => q !== undefined);
  return queue?.type === 'quorum' ? 'quorum' : 'classic';
}

/**
 * The `warren.` policies apply keeps that concern the file: those whose pattern matches one of its queues. In a
 * shared vhost, another file's policies (naming only its own queues) are none of this plan's business.
 */
function extraPolicies(desired: DesiredTopology, live: LiveTopology, options: DiffOptions): ExtraObject[] {
  const queues = desired.queues.map((q) => q.name);
  const policies = byName(live.policies);
  return orphanPolicies(desired, live, options)
    .filter((o) => o.action === 'keep' && matchesAny(policies.get(o.item.name)?.pattern, queues))
    .map((o) => ({ kind: 'policy', name: o.item.name }));
}

function matchesAny(pattern: string | undefined, names: readonly string[]): boolean {
  if (pattern === undefined) return false;
  try {
    const regex = new RegExp(pattern);
    return names.some((name) => regex.test(name));
  } catch {
    return false; // an Erlang regex JavaScript cannot read: not shown
  }
}

const indexes = new WeakMap<readonly { name: string }[], Map<string, unknown>>();

/** A name index over a live list, built once per list. */
function byName<T extends { name: string }>(list: readonly T[]): Map<string, T> {
  let index = indexes.get(list);
  if (!index) indexes.set(list, (index = new Map(list.map((item) => [item.name, item]))));
  return index as Map<string, T>;
}

function compare(property: string, live: unknown, wanted: unknown): PropertyDiff[] {
  return sameValue(live, wanted) ? [] : [{ property, live, wanted }];
}

function compareArguments(
  live: Readonly<Record<string, unknown>> | undefined,
  wanted: Readonly<Record<string, unknown>>,
  prefix = '',
): PropertyDiff[] {
  const [liveArgs, wantedArgs] = [normaliseArguments(live ?? {}), normaliseArguments(wanted)];
  const keys = [...new Set([...Object.keys(liveArgs), ...Object.keys(wantedArgs)])].sort();
  return keys.flatMap((key) => compare(`${prefix}${key}`, liveArgs[key], wantedArgs[key]));
}

/** Deep equality on JSON values, key order ignored. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
}
