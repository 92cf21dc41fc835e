import type { ArgumentValue, PolicySpec, QueueType } from './desired';
import { byCodeUnit, POLICY_PATTERN_MAX_BYTES, policyName, policyPattern } from './names';

/**
 * Priority of Warren's policies. Only one policy applies to a queue (the highest priority wins), so this is above
 * the usual catch-all operator policies (priority 0–10) and below 1000 for an operator who deliberately wants to
 * override Warren.
 */
export const POLICY_PRIORITY = 100;

/** One work queue's mutable settings, before grouping. */
export interface QueuePolicy {
  readonly queue: string;
  readonly queueType: QueueType;
  readonly definition: Readonly<Record<string, ArgumentValue>>;
}

/**
 * One policy per distinct (definition, queue type), holding every queue with exactly that definition; a group whose
 * pattern would exceed `POLICY_PATTERN_MAX_BYTES` is split into chunks of consecutive sorted names. The broker
 * matches every queue declare against every policy of the vhost, so a handful of grouped policies instead of one
 * per queue makes a large apply several times faster. Ordered by name (deterministic).
 */
export function groupPolicies(queues: readonly QueuePolicy[]): PolicySpec[] {
  const groups = new Map<string, QueuePolicy[]>();
  for (const entry of queues) {
    const key = JSON.stringify([entry.queueType, entry.definition]);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()]
    .flatMap((members) => {
      const { queueType, definition } = members[0]!;
      return chunks(members.map((m) => m.queue).sort(byCodeUnit)).map((names): PolicySpec => ({
        name: policyName(queueType, definition, names),
        pattern: policyPattern(names),
        queues: names,
        queueType,
        priority: POLICY_PRIORITY,
        definition,
      }));
    })
    .sort((a, b) => byCodeUnit(a.name, b.name));
}

/** Consecutive runs of names whose pattern stays within `POLICY_PATTERN_MAX_BYTES` (a name is at most 255 bytes). */
function chunks(names: readonly string[]): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  for (const name of names) {
    if (current.length > 0 && patternBytes([...current, name]) > POLICY_PATTERN_MAX_BYTES) {
      result.push(current);
      current = [];
    }
    current.push(name);
  }
  if (current.length > 0) result.push(current);
  return result;
}

const patternBytes = (names: readonly string[]): number => Buffer.byteLength(policyPattern(names), 'utf8');

/** The Warren policy of the desired topology that holds `queue`'s settings; undefined when it has none. */
export const policyOfQueue = (policies: readonly PolicySpec[], queue: string): PolicySpec | undefined =>
  policies.find((policy) => policy.queues.includes(queue));
