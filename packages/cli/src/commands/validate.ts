import type { Command } from 'commander';
import { deriveTopology, loadTopologyFile, summariseSchedules, TopologyValidationError } from '@warren/topology';
import { exitWith } from '../errors';
import { json } from '../format';
import { printNextTicks } from '../format-schedules';
import { line, type CliIo } from '../io';
import { summarise } from '../summary';
import { reportWarnings } from '../warnings';

interface ValidateFlags {
  readonly json?: boolean;
  readonly strict?: boolean;
}

export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate')
    .summary('check a topology file offline (no broker needed)')
    .description(
      'Check a topology file offline: its shape, names, limits and cross-references. Lists every problem with ' +
        'its path and line, then warns about settings RabbitMQ would silently ignore or downgrade. Exit code 0 ' +
        'when valid (warnings included, unless --strict), 1 otherwise.',
    )
    .argument('<file>', 'topology file (.yaml, .yml, .json, .ts, .js)')
    .option('--json', 'print the result as JSON (the issues, or a summary of what the file declares, and warnings)')
    .option('--strict', 'exit 1 when there are warnings too')
    .action(async (file: string, flags: ValidateFlags) => validate(file, flags, io));
}

async function validate(file: string, flags: ValidateFlags, io: CliIo): Promise<void> {
  try {
    const topology = await loadTopologyFile(file);
    const summary = summarise(deriveTopology(topology));
    const warnings = reportWarnings(topology, io);
    const schedules = summariseSchedules(topology);
    line(
      io.stdout,
      flags.json
        ? json({ valid: true, file, summary, warnings, ...(schedules.length > 0 ? { schedules } : {}) })
        : `${file} is valid: ${summary.text}.`,
    );
    if (!flags.json) printNextTicks(topology, io);
    if (flags.strict && warnings.length > 0) exitWith(1);
  } catch (error) {
    if (!(flags.json && error instanceof TopologyValidationError)) throw error;
    line(io.stdout, json({ valid: false, file, issues: error.issues }));
    exitWith(1);
  }
}
