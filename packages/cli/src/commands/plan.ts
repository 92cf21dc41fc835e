import type { Command } from 'commander';
import {
  deriveTopology,
  loadTopologyFile,
  planTopology,
  TopologyDriftError,
  type TopologyPlan,
} from '@warren/topology';
import { exitWith } from '../errors';
import { formatPlan, json } from '../format';
import { line, type CliIo } from '../io';
import { reportWarnings } from '../warnings';
import { targetOf, withConnectionOptions, type ConnectionFlags } from '../target';

export interface PlanFlags extends ConnectionFlags {
  readonly json?: boolean;
  readonly detailedExitcode?: boolean;
  readonly prunePolicies?: boolean;
}

export function registerPlan(program: Command, io: CliIo): void {
  const command = program
    .command('plan')
    .summary('show what apply would change on the live broker')
    .description(
      'Read the live vhost through the management API and show what `apply` would do: create (+), unchanged (=), ' +
        'policy updates (~), policy deletions (-) and drift (!): an existing object whose immutable properties ' +
        '(queue type, durability, x-arguments) differ, with the live and the wanted value. Changes nothing.\n\n' +
        'Exit codes: 0 success (with --detailed-exitcode: no changes), 2 changes pending (only with ' +
        '--detailed-exitcode), 1 error, an invalid file, or drift (apply would refuse).',
    )
    .argument('<file>', 'topology file (.yaml, .yml, .json, .ts, .js)')
    .option('--detailed-exitcode', 'exit 0 when there is nothing to change, 2 when changes are pending, 1 on error')
    .option('--json', 'print the plan as JSON (the structured result)')
    .option('--prune-policies', 'also plan to delete warren.* policies that name queues not in the file');
  withConnectionOptions(command).action(async (file: string, flags: PlanFlags) => runPlan(file, flags, io));
}

/** Loads and derives a topology file, prints its lint warnings, and resolves the broker: `plan`'s and `apply`'s start. */
export async function prepare(file: string, flags: PlanFlags, io: CliIo) {
  const topology = await loadTopologyFile(file);
  reportWarnings(topology, io);
  return {
    desired: deriveTopology(topology),
    target: targetOf(flags, io, topology.vhost),
    options: { prunePolicies: flags.prunePolicies ?? false },
  };
}

/** Plans and prints; shared by `plan` and `apply --dry-run`. */
export async function runPlan(file: string, flags: PlanFlags, io: CliIo): Promise<void> {
  const { desired, target, options } = await prepare(file, flags, io);
  const plan = await planTopology(desired, target, options);
  line(io.stdout, flags.json ? json(plan) : formatPlan(plan, file));
  const code = planExitCode(plan, flags.detailedExitcode ?? false);
  if (code === 1 && !flags.json) throw new TopologyDriftError(plan);
  if (code !== 0) exitWith(code);
}

/** 1 on drift (apply would refuse), 2 for pending changes with `--detailed-exitcode`, 0 otherwise. */
export function planExitCode(plan: TopologyPlan, detailed: boolean): number {
  if (plan.hasDrift) return 1;
  return detailed && plan.hasChanges ? 2 : 0;
}
