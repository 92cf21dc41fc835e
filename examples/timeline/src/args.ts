import { parseArgs } from 'node:util';
import { DEFAULT_NAMESPACE } from './contracts';

/** The demo's options, fully defaulted. */
export interface DemoOptions {
  /** Fewer requests and a shorter drain, for the integration test (~15 s). */
  readonly quick: boolean;
  /** Print the final summary as JSON on stdout (live lines go to stderr). */
  readonly json: boolean;
  /** Leave the topology (and any messages) on the broker. */
  readonly keep: boolean;
  readonly requests: number;
  /** Requests in flight at once within a wave. */
  readonly concurrency: number;
  /** Posts per wave (a burst); waves start `waveEveryMs` apart. */
  readonly waveSize: number;
  readonly waveEveryMs: number;
  /** Exchange `<namespace>`, work queue `<namespace>.fanout`. */
  readonly namespace: string;
  /** How long to wait for the queues to drain after the burst before giving the final count. */
  readonly drainMs: number;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run demo -- [options]

Runs Warren's timeline example end to end: applies examples/timeline/topology.yaml with \`warren apply\`,
starts the HTTP service and the fan-out worker, sends a burst of posts (retrying 503s with back-off),
prints a live summary, then a final table. Broker: AMQP_URL, else 127.0.0.1:5672, else a Docker container.

Options:
  --quick              fewer requests, done in about 15 s
  --json               print the final summary as JSON on stdout
  --keep               keep the topology on the broker afterwards (default: delete it)
  --requests <n>       posts to send, in waves of 300 every 3 s (default 2000; 300 with --quick)
  --concurrency <n>    requests in flight at once during a wave (default 250)
  --namespace <name>   name of the exchange; the work queue is <name>.fanout (default ${DEFAULT_NAMESPACE})
  -h, --help           show this help`;

export function parseDemoArgs(argv: readonly string[]): DemoOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      requests: { type: 'string' },
      concurrency: { type: 'string' },
      namespace: { type: 'string', default: DEFAULT_NAMESPACE },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const quick = values.quick ?? false;
  return {
    quick,
    json: values.json ?? false,
    keep: values.keep ?? false,
    requests: positive('--requests', values.requests, quick ? 300 : 2000),
    concurrency: positive('--concurrency', values.concurrency, 250),
    waveSize: 300,
    waveEveryMs: 3_000,
    namespace: namespaceOf(values.namespace ?? DEFAULT_NAMESPACE),
    drainMs: quick ? 15_000 : 30_000,
    help: values.help ?? false,
  };
}

function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new TypeError(`${flag} expects a positive integer, got '${value}'.`);
  return n;
}

function namespaceOf(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) {
    throw new TypeError(`--namespace expects letters, digits, '.', '_' or '-', got '${value}'.`);
  }
  return value;
}
