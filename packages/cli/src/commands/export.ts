import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { exportTopology } from '@warren/topology';
import { CliUsageError } from '../errors';
import { line, type CliIo } from '../io';
import { targetOf, withConnectionOptions, type ConnectionFlags } from '../target';

interface ExportFlags extends ConnectionFlags {
  readonly output?: string;
  readonly prefix?: string;
  readonly queue?: string[];
}

export function registerExport(program: Command, io: CliIo): void {
  const command = program
    .command('export')
    .summary('write the live topology of a vhost as a topology file')
    .description(
      'Read the live vhost through the management API and write it as a YAML topology file that `apply` accepts ' +
        'unchanged: a plan of the exported file against the same vhost shows no changes. Retry tiers, dead-letter ' +
        "exchanges and queues and Warren's policies are folded back into their work queue's retry, deadLetter and " +
        'limits. In a shared vhost, --prefix or --queue export only your queues (and the exchanges they use).',
    )
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--prefix <prefix>', 'only the queues whose name starts with this')
    .option('--queue <name...>', 'only these queues (repeat, or several after one --queue)');
  withConnectionOptions(command).action(async (flags: ExportFlags) => {
    const filter = {
      ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }),
      ...(flags.queue === undefined ? {} : { queues: flags.queue }),
    };
    const yaml = stringify(await exportTopology(targetOf(flags, io), filter));
    if (flags.output === undefined) return io.stdout(yaml);
    await write(flags.output, yaml);
    line(io.stderr, `Wrote the topology of the vhost to ${flags.output}.`);
  });
}

async function write(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (cause) {
    const why = (cause as { code?: unknown }).code === 'EISDIR' ? 'it is a directory' : (cause as Error).message;
    throw new CliUsageError(
      'OUTPUT_NOT_WRITABLE',
      `Cannot write the topology to ${path}: ${why}. Pass a file path, e.g. -o ${path.replace(/\/$/, '')}/topology.yaml.`,
      { cause },
    );
  }
}
