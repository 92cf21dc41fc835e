import type { Command } from 'commander';
import { deleteTopology, deriveTopology, loadTopologyFile } from '@warren/topology';
import { CliUsageError } from '../errors';
import { summarise } from '../summary';
import { line, type CliIo } from '../io';
import { targetOf, withConnectionOptions, type ConnectionFlags } from '../target';

interface DeleteFlags extends ConnectionFlags {
  readonly yes?: boolean;
}

export function registerDelete(program: Command, io: CliIo): void {
  const command = program
    .command('delete')
    .summary("delete a topology file's queues, exchanges and policies, messages included")
    .description(
      'Delete every queue (with its messages), exchange and Warren policy the file declares, retry tiers and ' +
        'dead-letter queues included; objects already gone are skipped. Irreversible: asks on a terminal, and ' +
        'needs --yes otherwise.',
    )
    .argument('<file>', 'topology file (.yaml, .yml, .json, .ts, .js)')
    .option('--yes', 'confirm the deletion without asking');
  withConnectionOptions(command).action(async (file: string, flags: DeleteFlags) => remove(file, flags, io));
}

async function remove(file: string, flags: DeleteFlags, io: CliIo): Promise<void> {
  const topology = await loadTopologyFile(file);
  const desired = deriveTopology(topology);
  const target = targetOf(flags, io, topology.vhost);
  const what = summarise(desired).text;
  if (!flags.yes) {
    const question = `Delete ${what} of ${file}, with every message in them?`;
    if (!io.ask) {
      throw new CliUsageError(
        'CONFIRMATION_REQUIRED',
        `Refusing to delete the objects of ${file} (${what}) without --yes: their messages would be deleted for ` +
          `good. Check what is there first with \`warren status ${file}\`.`,
      );
    }
    if (!(await io.ask(question))) return line(io.stderr, 'Nothing was deleted.');
  }
  await deleteTopology(desired, target);
  line(io.stdout, `Deleted ${what} of ${file}.`);
}
