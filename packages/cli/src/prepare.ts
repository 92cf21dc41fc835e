import { deriveTopology, loadTopologyFile } from '@warren/topology';
import type { CliIo } from './io';
import { targetOf, type ConnectionFlags } from './target';
import { reportWarnings } from './warnings';

/** The flags `prepare` reads: where the broker is, and whether stale Warren policies are pruned. */
export interface PrepareFlags extends ConnectionFlags {
  /**
   * `--prune-policies`: also delete `warren.*` policies that name queues not in the file.
   * @default false
   */
  readonly prunePolicies?: boolean;
}

/** Loads and derives a topology file, prints its lint warnings, and resolves the broker: `plan`'s and `apply`'s start. */
export async function prepare(file: string, flags: PrepareFlags, io: CliIo) {
  const topology = await loadTopologyFile(file);
  reportWarnings(topology, io);
  return {
    topology,
    desired: deriveTopology(topology),
    target: targetOf(flags, io, topology.vhost),
    options: { prunePolicies: flags.prunePolicies ?? false },
  };
}
