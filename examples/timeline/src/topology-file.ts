import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_NAMESPACE, timelineNames } from './contracts';

/** `examples/timeline/topology.yaml` (this file runs from `dist/src`). */
export const TOPOLOGY_FILE = path.resolve(__dirname, '../../topology.yaml');

interface RawTopology {
  exchanges: Record<string, unknown>;
  queues: Record<string, { bindings?: Array<{ exchange: string }> }>;
  schedules?: Record<string, { exchange?: string }>;
}

/**
 * The topology file for a namespace: the example's own file for the default one, else a copy (in a temporary
 * directory) with the exchange and queue renamed, so tests and parallel demos do not share queues.
 */
export async function topologyFileFor(namespace: string): Promise<string> {
  if (namespace === DEFAULT_NAMESPACE) return TOPOLOGY_FILE;
  const raw = parse(await readFile(TOPOLOGY_FILE, 'utf8')) as RawTopology;
  const from = timelineNames(DEFAULT_NAMESPACE);
  const to = timelineNames(namespace);
  const renamed = {
    exchanges: { [to.exchange]: raw.exchanges[from.exchange] },
    // Every queue is named `<namespace>.<role>`; every binding and schedule points at the namespace's exchange.
    queues: Object.fromEntries(
      Object.entries(raw.queues).map(([name, queue]) => {
        for (const binding of queue.bindings ?? [])
          if (binding.exchange === from.exchange) binding.exchange = to.exchange;
        return [`${namespace}${name.slice(DEFAULT_NAMESPACE.length)}`, queue];
      }),
    ),
    schedules: Object.fromEntries(
      Object.entries(raw.schedules ?? {}).map(([name, schedule]) => [name, { ...schedule, exchange: to.exchange }]),
    ),
  };
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'warren-demo-')), 'topology.yaml');
  await writeFile(file, stringify(renamed));
  return file;
}
