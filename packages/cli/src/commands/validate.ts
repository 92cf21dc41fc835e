import type { Command } from 'commander';
import { deriveTopology, loadTopologyFile, TopologyValidationError } from '@warren/topology';
import { exitWith } from '../errors';
import { json } from '../format';
import { line, type CliIo } from '../io';
import { summarise } from '../summary';

interface ValidateFlags {
  readonly json?: boolean;
}

export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate')
    .summary('check a topology file offline (no broker needed)')
    .description(
      'Check a topology file offline: its shape, names, limits and cross-references. Lists every problem with ' +
        'its path and line. Exit code 0 when valid, 1 otherwise.',
    )
    .argument('<file>', 'topology file (.yaml, .yml, .json, .ts, .js)')
    .option('--json', 'print the result as JSON (the issues, or a summary of what the file declares)')
    .action(async (file: string, flags: ValidateFlags) => validate(file, flags, io));
}

async function validate(file: string, flags: ValidateFlags, io: CliIo): Promise<void> {
  try {
    const desired = deriveTopology(await loadTopologyFile(file));
    const summary = summarise(desired);
    line(io.stdout, flags.json ? json({ valid: true, file, summary }) : `${file} is valid: ${summary.text}.`);
  } catch (error) {
    if (!(flags.json && error instanceof TopologyValidationError)) throw error;
    line(io.stdout, json({ valid: false, file, issues: error.issues }));
    exitWith(1);
  }
}
