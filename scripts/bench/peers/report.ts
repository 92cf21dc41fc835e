/** The peers bench's markdown: a block ready to paste into the README's Benchmarks section. */
import type { PeerResult } from './harness';

export interface Contender {
  /** Short id, as in BENCH_PEERS. */
  id: string;
  /** The client file under peers/ (without .ts) and its flags. */
  file: string;
  flags: string[];
  /** The npm package whose version the table shows. */
  pkg: string;
  /** The name the table shows, when not the package's. */
  name?: string;
  /** What this row does, after the package name and version. */
  label: string;
  /** Scenarios it runs (all when absent). */
  scenarios?: string[];
}

export interface Cell {
  runs: PeerResult[];
  failures: number;
  median?: Omit<PeerResult, 'scenario'>;
}

export interface Meta {
  /** The command line, with the BENCH_* settings of the run. */
  command: string;
  date: string;
  machine: string;
  node: string;
  rabbitmq: string;
  rounds: number;
  messages: number;
  latencySeconds: number;
  rate: number;
  note?: string;
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function throughputCell(cell: Cell | undefined): string {
  if (!cell) return '—';
  if (!cell.median) return `failed (${cell.failures})`;
  return `${fmt(cell.median.msgPerSec)} (${fmt(cell.median.cpuUsPerMsg)} µs)`;
}

function latencyCell(cell: Cell | undefined): string {
  if (!cell) return '—';
  if (!cell.median) return `failed (${cell.failures})`;
  const { p50Ms = NaN, p99Ms = NaN, cpuUsPerMsg } = cell.median;
  return `${fmt(p50Ms, 2)} / ${fmt(p99Ms, 2)} (${fmt(cpuUsPerMsg)} µs)`;
}

export function markdownReport(
  contenders: Contender[],
  versions: Record<string, string>,
  cells: Map<string, Cell>,
  meta: Meta,
): string {
  const cell = (c: Contender, scenario: string): Cell | undefined => cells.get(`${c.id}/${scenario}`);
  const rows = contenders.map((c) =>
    [
      `${c.name ?? c.pkg} ${versions[c.pkg] ?? '?'} ${c.label}`.trim(),
      throughputCell(cell(c, 'publish-classic')),
      throughputCell(cell(c, 'publish-quorum')),
      throughputCell(cell(c, 'consume')),
      latencyCell(cell(c, 'latency')),
    ].join(' | '),
  );
  return [
    `Command: \`${meta.command}\`, ${meta.date}${meta.note ? ` — ${meta.note}` : ''}.`,
    `Machine: ${meta.machine}; Node ${meta.node}; RabbitMQ ${meta.rabbitmq} on the same machine.`,
    `Medians of ${meta.rounds} runs, each a fresh process, clients interleaved (the order rotates every round);`,
    `1 KiB persistent JSON bodies; at most 1,000 unconfirmed publishes per client (its own confirm API);`,
    `${fmt(meta.messages)} messages measured per throughput run after a warm-up; consume at prefetch 100 from a`,
    `prefilled classic queue; latency over ${meta.latencySeconds} s at a steady ${fmt(meta.rate)} msg/s, publisher and`,
    `consumer in one process. In parentheses: the client process's CPU time per message (user + system).`,
    '',
    `| Client | Publish → classic, msg/s | Publish → quorum, msg/s | Consume, msg/s | Latency p50 / p99, ms |`,
    `| --- | --- | --- | --- | --- |`,
    ...rows.map((row) => `| ${row} |`),
    '',
    'Warren `publish` encodes and validates each payload (JSON, zod); the others send a ready Buffer. Warren consumes',
    'with the same contract (JSON decode + zod validation); the others ack the raw body, except that ¹ rabbitmq-client',
    'parses `application/json` bodies itself (its default). Warren sets TCP_NODELAY; the other clients keep their',
    "socket defaults (Nagle's algorithm on) unless the row says otherwise. ² raw amqplib with the properties Warren",
    'sets on every message (a 22-character `messageId`, `timestamp`, `mandatory`; the others send `contentType` and',
    'persistent only): amqplib spends about twice the CPU encoding them, on two cores CPU taken from the broker.',
  ].join('\n');
}
