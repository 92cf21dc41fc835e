import type { DesiredTopology } from '../model/desired';
import { diffTopology } from './diff';
import { readLiveTopology } from './read';
import type { TopologyPlan } from './plan-types';
import { resolveTarget, type TopologyTarget } from './target';

/** How `planTopology` (and `applyTopology`) treat Warren policies the file does not ask for. */
export interface PlanOptions {
  /**
   * Also delete `warren.` policies that name queues not in the file (or whose pattern is not a list of names). Off
   * by default: several files (services) may share a vhost and each owns only its own queues' policies.
   * @default false
   */
  readonly prunePolicies?: boolean;
}

/**
 * What `applyTopology` would do, read from the live broker through the management API (five whole-vhost requests).
 * Changes nothing.
 */
export async function planTopology(
  desired: DesiredTopology,
  target: TopologyTarget,
  options: PlanOptions = {},
): Promise<TopologyPlan> {
  const { management, vhost } = resolveTarget(target);
  const live = await readLiveTopology(management);
  return diffTopology(desired, live, { vhost, prunePolicies: options.prunePolicies ?? false });
}
