/**
 * Warren next to its peers, the same scenarios side by side in one run: raw amqplib (with and without TCP_NODELAY;
 * publishing with Warren's properties too), amqp-connection-manager, rabbitmq-client, @cloudamqp/amqp-client, Warren
 * `publish` (zod contract) and `publishRaw`.
 * Every (client, scenario, round) runs in a fresh process (peers/<client>.ts, see peers/harness.ts) on a queue of
 * its own, declared before and deleted after; clients are interleaved, their order rotating every round.
 *
 *   npm run bench -- peers
 *   BENCH_ROUNDS=3 BENCH_MESSAGES=20000 BENCH_LATENCY_SECONDS=10 npm run bench -- peers
 *   BENCH_PEERS=amqplib,warren BENCH_SCENARIOS=publish-classic,latency npm run bench -- peers
 *   BENCH_CPU_PROF=.bench/prof BENCH_PEERS=warren BENCH_SCENARIOS=consume npm run bench -- peers
 *
 * BENCH_CPU_PROF names a directory: every child writes a V8 CPU profile there (`--cpu-prof`, which NODE_OPTIONS
 * refuses), to open in Chrome DevTools.
 * Prints a markdown block ready to paste into the README (BENCH_NOTE adds a remark to its first line) and writes
 * `.bench/peers.json` (every run). Warren's own figures (the retry path, RSS while draining a backlog) come from the
 * consume bench: `BENCH_ROUNDS=0 npm run bench -- consume`.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { connect, type ChannelModel } from 'amqplib';
import { AMQP_URL, encode, newPayload, WARM_UP, type PeerResult } from './peers/harness';
import { markdownReport, type Cell, type Contender } from './peers/report';
import { median } from './peers/stats';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const ROUNDS = env('BENCH_ROUNDS', 3);
const MESSAGES = env('BENCH_MESSAGES', 20_000);
const RUN_TIMEOUT_MS = 180_000;
const ROOT = join(__dirname, '../..');
const run = `${process.pid}-${Date.now().toString(36)}`;

const PUBLISH = ['publish-classic', 'publish-quorum'];
const SCENARIOS = ['publish-classic', 'publish-quorum', 'consume', 'latency'];
const CONTENDERS: Contender[] = [
  { id: 'amqplib', file: 'amqplib', flags: [], pkg: 'amqplib', label: '(noDelay false, its default)' },
  { id: 'amqplib-nodelay', file: 'amqplib', flags: ['--no-delay'], pkg: 'amqplib', label: '(noDelay true)' },
  {
    id: 'amqplib-warren-props',
    file: 'amqplib',
    flags: ['--no-delay', '--warren-properties'],
    pkg: 'amqplib',
    label: "(noDelay true) with Warren's properties ²",
    scenarios: PUBLISH,
  },
  { id: 'acm', file: 'amqp-connection-manager', flags: [], pkg: 'amqp-connection-manager', label: '' },
  { id: 'rabbitmq-client', file: 'rabbitmq-client', flags: [], pkg: 'rabbitmq-client', label: '¹' },
  { id: 'cloudamqp', file: 'cloudamqp', flags: [], pkg: '@cloudamqp/amqp-client', label: '' },
  {
    id: 'warren',
    file: 'warren',
    flags: [],
    pkg: '@warren/publisher',
    name: 'Warren',
    label: '`publish` / `consume` of a zod contract',
  },
  {
    id: 'warren-raw',
    file: 'warren',
    flags: ['--raw'],
    pkg: '@warren/publisher',
    name: 'Warren',
    label: '`publishRaw` (Buffer)',
    scenarios: [...PUBLISH, 'latency'],
  },
];

const only = (name: string, all: string[]): string[] => process.env[name]?.split(',') ?? all;

interface Job {
  contender: Contender;
  scenario: string;
}

/** Round r runs the contenders rotated by r, scenario by scenario. */
function schedule(contenders: Contender[], scenarios: string[], rounds: number): Job[][] {
  return Array.from({ length: rounds }, (_, round) =>
    scenarios.flatMap((scenario) => {
      const runs = contenders.filter((c) => !c.scenarios || c.scenarios.includes(scenario));
      const rotated = [...runs.slice(round % runs.length), ...runs.slice(0, round % runs.length)];
      return rotated.map((contender) => ({ contender, scenario }));
    }),
  );
}

/** Runs one job in a fresh process on a fresh queue; the queue is deleted afterwards, whatever happened. */
async function runJob(model: ChannelModel, job: Job, index: number): Promise<PeerResult> {
  const queue = `warren-bench-peers-${run}-${index}`;
  const admin = await model.createChannel();
  admin.on('error', () => undefined);
  try {
    const type = job.scenario === 'publish-quorum' ? 'quorum' : 'classic';
    // x-expires: should this process die, the broker drops the queue 10 minutes after its last use.
    await admin.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': type, 'x-expires': 600_000 } });
    if (job.scenario === 'consume') await prefill(model, queue, WARM_UP + MESSAGES);
    const scenario = job.scenario.startsWith('publish') ? 'publish' : job.scenario;
    return await child(job.contender, scenario, queue);
  } finally {
    await admin.deleteQueue(queue).catch(() => undefined);
    await admin.close().catch(() => undefined);
  }
}

async function prefill(model: ChannelModel, queue: string, count: number): Promise<void> {
  const channel = await model.createConfirmChannel();
  const body = encode(newPayload());
  const options = { persistent: true, contentType: 'application/json' };
  for (let i = 0; i < count; i++) {
    if (!channel.publish('', queue, body, options)) await new Promise((resolve) => channel.once('drain', resolve));
    if (i % 1000 === 999) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
  await channel.close();
}

function child(contender: Contender, scenario: string, queue: string): Promise<PeerResult> {
  const file = join(__dirname, 'peers', `${contender.file}.ts`);
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const args = [...profile, '--import', 'tsx', file, scenario, queue, ...contender.flags];
  const options = { timeout: RUN_TIMEOUT_MS, killSignal: 'SIGKILL' as const, env: process.env };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, options, (error, stdout, stderr) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (error || !line.startsWith('{')) return reject(new Error(`${error?.message ?? 'no result'}\n${stderr}`));
      resolve(JSON.parse(line) as PeerResult);
    });
  });
}

function summarise(runs: PeerResult[], failures: number): Cell {
  if (runs.length === 0) return { runs, failures };
  const of = (key: 'msgPerSec' | 'cpuUsPerMsg' | 'p50Ms' | 'p99Ms' | 'maxMs'): number =>
    median(runs.map((r) => r[key] ?? NaN));
  const { messages } = runs[0]!;
  const base = { messages, msgPerSec: of('msgPerSec'), cpuUsPerMsg: of('cpuUsPerMsg') };
  const latency = runs[0]!.p50Ms === undefined ? {} : { p50Ms: of('p50Ms'), p99Ms: of('p99Ms'), maxMs: of('maxMs') };
  return { runs, failures, median: { ...base, ...latency } };
}

function versionOf(pkg: string): string {
  const dir = pkg.startsWith('@warren/') ? join(ROOT, 'packages', pkg.slice(8)) : join(ROOT, 'node_modules', pkg);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function machine(): string {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  return `${availableParallelism()} cores (${cpu}), Linux`;
}

async function main(): Promise<void> {
  const contenders = CONTENDERS.filter((c) =>
    only(
      'BENCH_PEERS',
      CONTENDERS.map((x) => x.id),
    ).includes(c.id),
  );
  const scenarios = only('BENCH_SCENARIOS', SCENARIOS).filter((s) => SCENARIOS.includes(s));
  const model = await connect(AMQP_URL);
  model.on('error', () => undefined);
  const rabbitmq = String(model.connection.serverProperties.version ?? '?');
  const results = new Map<string, { runs: PeerResult[]; failures: number }>();
  const rounds = schedule(contenders, scenarios, ROUNDS);
  let index = 0;
  try {
    for (const [round, jobs] of rounds.entries()) {
      for (const job of jobs) {
        const key = `${job.contender.id}/${job.scenario}`;
        const entry = results.get(key) ?? { runs: [], failures: 0 };
        results.set(key, entry);
        try {
          const result = await runJob(model, job, index++);
          entry.runs.push(result);
          console.log(`round ${round + 1} ${key.padEnd(34)} ${describe(result)}`);
        } catch (error) {
          entry.failures++;
          console.log(`round ${round + 1} ${key.padEnd(34)} FAILED: ${(error as Error).message.split('\n')[0]}`);
        }
      }
    }
  } finally {
    await model.close().catch(() => undefined);
  }
  const cells = new Map([...results].map(([key, { runs, failures }]) => [key, summarise(runs, failures)]));
  const versions = Object.fromEntries(contenders.map((c) => [c.pkg, versionOf(c.pkg)]));
  const meta = {
    command: commandLine(),
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    node: process.version,
    rabbitmq,
    rounds: ROUNDS,
    messages: MESSAGES,
    latencySeconds: env('BENCH_LATENCY_SECONDS', 10),
    rate: env('BENCH_RATE', 2_000),
    note: process.env.BENCH_NOTE,
  };
  const markdown = markdownReport(contenders, versions, cells, meta);
  console.log(`\n${markdown}\n`);
  const dir = join(ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'peers.json'), JSON.stringify({ meta, versions, cells: Object.fromEntries(cells) }, null, 2));
  writeFileSync(join(dir, 'peers.md'), `${markdown}\n`);
  console.log('written to .bench/peers.json and .bench/peers.md');
  if ([...cells.values()].some((cell) => cell.failures > 0)) process.exitCode = 1;
}

function describe(r: PeerResult): string {
  const rate = `${Math.round(r.msgPerSec)} msg/s, ${r.cpuUsPerMsg.toFixed(1)} µs CPU/msg`;
  return r.p50Ms === undefined ? rate : `${rate}, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms?.toFixed(2)} ms`;
}

/** The command as typed, with the BENCH_* settings that differ from the defaults. */
function commandLine(): string {
  const settings = Object.entries(process.env)
    .filter(([name]) => name.startsWith('BENCH_') && name !== 'BENCH_NOTE')
    .map(([name, value]) => `${name}=${value}`);
  return [...settings, 'npm run bench -- peers'].join(' ');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
