import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { exportTopology } from '@warren/topology';
import { line, type CliIo } from '../io';
import { targetOf, withConnectionOptions, type ConnectionFlags } from '../target';

interface ExportFlags extends ConnectionFlags {
  readonly output?: string;
}

export function registerExport(program: Command, io: CliIo): void {
  const command = program
    .command('export')
    .summary('write the live topology of a vhost as a topology file')
    .description(
      'Read the live vhost through the management API and write it as a YAML topology file that `apply` accepts ' +
        'unchanged: a plan of the exported file against the same vhost shows no changes. Retry tiers, dead-letter ' +
        "exchanges and queues and Warren's policies are folded back into their work queue's retry, deadLetter and " +
        'limits.',
    )
    .option('-o, --output <file>', 'write to this file instead of stdout');
  withConnectionOptions(command).action(async (flags: ExportFlags) => {
    const yaml = stringify(await exportTopology(targetOf(flags, io)));
    if (flags.output === undefined) return io.stdout(yaml);
    await writeFile(flags.output, yaml);
    line(io.stderr, `Wrote the topology of the vhost to ${flags.output}.`);
  });
}
