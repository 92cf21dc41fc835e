import { planTopology, TopologyDriftError, type TopologyPlan } from '@warren/topology';
import { colorsFor } from './colors';
import { exitWith } from './errors';
import { formatPlan, json } from './format';
import { printNextTicks } from './format-schedules';
import { line, type CliIo } from './io';
import { prepare, type PrepareFlags } from './prepare';

/** The flags of `warren plan` (and of `warren apply --dry-run`, which prints the same plan). */
export interface PlanFlags extends PrepareFlags {
  /**
   * `--json`: print the structured result as JSON instead of text.
   * @default false
   */
  readonly json?: boolean;
  /**
   * `--detailed-exitcode`: exit 2 when changes are pending (0 when there are none).
   * @default false (0 whether or not changes are pending)
   */
  readonly detailedExitcode?: boolean;
  /**
   * `--no-color` (a global option) sets it false: the diff is not coloured.
   * @default true (coloured on a terminal, see `colorsFor`)
   */
  readonly color?: boolean;
}

/** Plans and prints; shared by `plan` and `apply --dry-run`. */
export async function runPlan(file: string, flags: PlanFlags, io: CliIo): Promise<void> {
  const { topology, desired, target, options } = await prepare(file, flags, io);
  const plan = await planTopology(desired, target, options);
  line(io.stdout, flags.json ? json(plan) : formatPlan(plan, file, colorsFor(io, flags.color ?? true)));
  if (!flags.json) printNextTicks(topology, io);
  const code = planExitCode(plan, flags.detailedExitcode ?? false);
  if (code === 1 && !flags.json) throw new TopologyDriftError(plan);
  if (code !== 0) exitWith(code);
}

/** 1 on drift (apply would refuse), 2 for pending changes with `--detailed-exitcode`, 0 otherwise. */
export function planExitCode(plan: TopologyPlan, detailed: boolean): number {
  if (plan.hasDrift) return 1;
  return detailed && plan.hasChanges ? 2 : 0;
}
