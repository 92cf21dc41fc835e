import type { Command } from 'commander';
import { applyTopology } from '@warren/topology';
import { colorsFor } from '../colors';
import { exitWith, INTERRUPTED } from '../errors';
import { formatApply, json } from '../format';
import { interruptible } from '../interrupt';
import { startProgress } from '../progress';
import { line, type CliIo } from '../io';
import { prepare } from '../prepare';
import { runPlan, type PlanFlags } from '../run-plan';
import { withConnectionOptions } from '../target';

interface ApplyFlags extends PlanFlags {
  /** `--dry-run`: change nothing and print the plan, as `warren plan` does. @default false */
  readonly dryRun?: boolean;
}

export function registerApply(program: Command, io: CliIo): void {
  const command = program
    .command('apply')
    .summary('make the live broker match a topology file (idempotent)')
    .description(
      'Create the exchanges, queues (with their retry tiers and dead-letter queue) and bindings that are missing, ' +
        "and set the queues' mutable settings (TTL, length limits, overflow, delivery limit) through Warren's " +
        'policies (warren.<hash>.<hash>: one per distinct set of limits, naming its queues). Idempotent: a second run changes nothing and says so. Never deletes a queue ' +
        'or an exchange: an object whose immutable properties drifted is refused with the diff and the way out, ' +
        'and nothing is changed.\n\nExit codes: 0 applied (or nothing to do), 1 error, an invalid file, or drift.',
    )
    .argument('<file>', 'topology file (.yaml, .yml, .json, .ts, .js)')
    .option('--dry-run', 'change nothing: print the plan, exactly as `warren plan` does')
    .option('--json', 'print the result as JSON (the structured result)')
    .option('--prune-policies', 'also delete warren.* policies that name queues not in the file');
  withConnectionOptions(command).action(async (file: string, _flags: ApplyFlags, self: Command) => {
    const flags = self.optsWithGlobals<ApplyFlags>();
    return flags.dryRun ? runPlan(file, flags, io) : runApply(file, flags, io);
  });
}

/** Changes from which `apply` shows progress: a small apply is done before a bar could say anything. */
const LARGE_APPLY = 50;

async function runApply(file: string, flags: ApplyFlags, io: CliIo): Promise<void> {
  const { desired, target, options } = await prepare(file, flags, io);
  const progress = startProgress(io, 'applied');
  const result = await interruptible(io, () =>
    applyTopology(desired, target, {
      ...options,
      onProgress: ({ done, total }) => total >= LARGE_APPLY && progress.update(done, total),
      ...(io.signal ? { signal: io.signal } : {}),
    }),
  ).finally(() => progress.stop());
  line(io.stdout, flags.json ? json(result) : formatApply(result, file, colorsFor(io, flags.color ?? true)));
  if (result.interrupted) {
    const { done, total } = result.interrupted;
    line(io.stderr, `Interrupted: applied ${done} of ${total} changes — run again to continue (apply is idempotent).`);
    exitWith(INTERRUPTED);
  }
}
