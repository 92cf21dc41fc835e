import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { deriveTopology, loadTopologyFile, topologyStatus } from '@warren/topology';
import { json } from '../format';
import { formatStatus } from '../format-status';
import { interruptible } from '../interrupt';
import { line, type CliIo } from '../io';
import { targetOf, withConnectionOptions, type ConnectionFlags } from '../target';

interface StatusFlags extends ConnectionFlags {
  readonly json?: boolean;
  readonly watch?: number | boolean;
}

export function registerStatus(program: Command, io: CliIo): void {
  const command = program
    .command('status')
    .summary("show each work queue's messages, retry tiers, dead letters and policy")
    .description(
      'For each work queue of the file: ready and unacked messages and consumers of the queue, of each retry tier ' +
        'and of its dead-letter queue, and the policy in effect (management statistics: ~5 s behind). Changes ' +
        'nothing. With --watch, again every few seconds until Ctrl-C.',
    )
    .argument('<file>', 'topology file (.yaml, .yml, .json, .ts, .js)')
    .option('--watch [seconds]', 'refresh every this many seconds (default 5) until interrupted', Number)
    .option('--json', 'print the status as JSON');
  withConnectionOptions(command).action(async (file: string, flags: StatusFlags) => status(file, flags, io));
}

async function status(file: string, flags: StatusFlags, io: CliIo): Promise<void> {
  const topology = await loadTopologyFile(file);
  const desired = deriveTopology(topology);
  const target = targetOf(flags, io, topology.vhost);
  const show = async (): Promise<void> => {
    const result = await topologyStatus(desired, target);
    line(io.stdout, flags.json ? json(result) : formatStatus(result, file));
  };
  if (flags.watch === undefined || flags.watch === false) return show();
  const seconds = typeof flags.watch === 'number' && flags.watch > 0 ? flags.watch : 5;
  await interruptible(io, async () => {
    while (!io.signal?.aborted) {
      await show();
      await sleep(seconds * 1000, undefined, io.signal ? { signal: io.signal } : {}).catch(() => undefined);
    }
  });
}
