import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DEFAULT_SCHEDULER_LEASE_QUEUE, loadTopologyFile, schedulesStatus } from '@warren/topology';
import { json } from '../format';
import { formatSchedulesStatus } from '../format-schedules';
import { line, type CliIo } from '../io';
import { targetOf, withConnectionOptions, type ConnectionFlags } from '../target';

interface SchedulesFlags extends ConnectionFlags {
  readonly json?: boolean;
  readonly leaseQueue?: string;
  readonly count?: number;
}

export function registerSchedules(program: Command, io: CliIo): void {
  const command = program
    .command('schedules')
    .summary("show the file's schedules, their next ticks and which scheduler process leads")
    .description(
      'For each schedule of the file: when it fires, where its ticks go and its next tick times; and which ' +
        '@warren/scheduler process holds the lease (the active consumer of the lease queue, shown as host:pid:id) ' +
        'and which wait. Changes nothing.',
    )
    .argument('<file>', 'topology file (.yaml, .yml, .json, .ts, .js)')
    .option(
      '--lease-queue <name>',
      "the schedulers' lease queue (createScheduler's leaseQueue)",
      DEFAULT_SCHEDULER_LEASE_QUEUE,
    )
    .option('--count <n>', 'how many next ticks to show per schedule', positiveInteger, 3)
    .option('--json', 'print the status as JSON');
  withConnectionOptions(command).action(async (file: string, flags: SchedulesFlags) => schedules(file, flags, io));
}

async function schedules(file: string, flags: SchedulesFlags, io: CliIo): Promise<void> {
  const topology = await loadTopologyFile(file);
  const target = targetOf(flags, io, topology.vhost);
  const status = await schedulesStatus(topology, target, {
    ...(flags.leaseQueue === undefined ? {} : { leaseQueue: flags.leaseQueue }),
    ...(flags.count === undefined ? {} : { count: flags.count }),
  });
  line(io.stdout, flags.json ? json(status) : formatSchedulesStatus(status, file));
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new InvalidArgumentError('expected a whole number from 1 to 100.');
  return n;
}
