import type { Command } from 'commander';
import type { CliIo } from '../io';
import { runPlan, type PlanFlags } from '../run-plan';
import { withConnectionOptions } from '../target';

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
  withConnectionOptions(command).action(async (file: string, _flags: PlanFlags, self: Command) =>
    runPlan(file, self.optsWithGlobals<PlanFlags>(), io),
  );
}
