import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DesiredTopology } from '@warren/topology';
import type { Ledger } from '@warren/testing';

// The built fixture (`tsc -b` compiles test/ to test/dist): starts in a fraction of the time tsx would take.
const SCRIPT = join(__dirname, '..', '..', 'dist', 'reliability', 'fixtures', 'worker.js');

export interface Worker {
  readonly process: ChildProcess;
  /** Resolves once the worker is subscribed. */
  readonly ready: Promise<void>;
  /** Resolves with the exit signal (or code) once the process is gone. */
  readonly exited: Promise<string>;
}

export interface WorkerOptions {
  readonly amqpUrl: string;
  readonly queue: string;
  readonly topology: DesiredTopology;
  readonly prefetch: number;
  /** @default 5 */
  readonly handlerMs?: number;
}

/** Starts a worker process; every `consumed <id>` it prints goes into the ledger, `unhandled ...` too. */
export function startWorker(ledger: Ledger, options: WorkerOptions): Worker {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run \`npx tsc -b\` first.`);
  const child = spawn(process.execPath, [SCRIPT], {
    env: {
      ...process.env,
      AMQP_URL: options.amqpUrl,
      QUEUE: options.queue,
      TOPOLOGY: JSON.stringify(options.topology),
      PREFETCH: String(options.prefetch),
      HANDLER_MS: String(options.handlerMs ?? 5),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? `exit ${code} ${stderr.trim()}`)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === 'ready') resolve();
      else if (line.startsWith('consumed ')) ledger.consumed(line.slice('consumed '.length));
      else if (line.startsWith('unhandled ')) ledger.unhandled(`worker ${child.pid}: ${line}`);
    });
    void exited.then((why) => reject(new Error(`worker ${child.pid} exited before it was ready: ${why}`)));
  });
  ready.catch(() => undefined);
  return { process: child, ready, exited };
}
