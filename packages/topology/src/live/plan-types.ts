import type { BindingSpec, ExchangeSpec, PolicySpec, QueueSpec } from '../model/desired';

/**
 * What `apply` would do to one object:
 * - `create`: missing on the broker;
 * - `unchanged`: live equals wanted;
 * - `update`: a Warren policy whose definition, pattern, priority or apply-to differ (changed in place, no
 *   message lost);
 * - `drift`: an existing exchange or queue whose immutable properties differ (apply refuses);
 * - `delete`: a Warren policy the file no longer asks for.
 */
export type PlanAction = 'create' | 'unchanged' | 'update' | 'drift' | 'delete';
export type ObjectKind = 'exchange' | 'queue' | 'binding' | 'policy';

/** One property that differs: `live` is undefined when absent on the broker, `wanted` when absent in the file. */
export interface PropertyDiff {
  readonly property: string;
  readonly live: unknown;
  readonly wanted: unknown;
}

interface ItemBase<K extends ObjectKind, S> {
  readonly kind: K;
  /** Exchange/queue/policy name; for a binding `source -> destination [routingKey]`. */
  readonly name: string;
  readonly action: PlanAction;
  /** Empty unless `update` or `drift`. */
  readonly differences: readonly PropertyDiff[];
  /** The wanted object (absent for a policy to delete). */
  readonly spec?: S;
}

export type PlanItem =
  | ItemBase<'exchange', ExchangeSpec>
  | ItemBase<'queue', QueueSpec>
  | ItemBase<'binding', BindingSpec>
  | ItemBase<'policy', PolicySpec>;

/** A live object the file does not declare: reported, never touched. */
export interface ExtraObject {
  readonly kind: ObjectKind;
  readonly name: string;
}

export interface TopologyPlan {
  readonly vhost: string;
  /** `overview().rabbitmq_version`, e.g. `3.10.8`. */
  readonly brokerVersion: string;
  readonly items: readonly PlanItem[];
  /** Live objects related to the file but not in it (bindings to its queues, orphan `warren.` policies). */
  readonly extra: readonly ExtraObject[];
  /** True when apply would create, update or delete something. */
  readonly hasChanges: boolean;
  /** True when some object drifted: apply would refuse. */
  readonly hasDrift: boolean;
  readonly counts: Readonly<Record<PlanAction, number>>;
}
