import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { once } from 'node:events';

/** A message a child (service or worker) sends to the demo over IPC. */
export type ChildMessage =
  | { type: 'listening'; port: number }
  | { type: 'ready' }
  | {
      type: 'stats';
      stats: import('./worker-stats').WorkerStatsSnapshot;
      aggregation?: import('./aggregation').AggregationSnapshot;
    };

/** Starts `dist/src/<script>.js` as a child process with an IPC channel; its stderr is passed through. */
export function startChild(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  return fork(path.join(__dirname, `${script}.js`), [], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

/** Resolves with the child's first message of `type`; rejects if it exits first or takes longer than `timeoutMs`. */
export function waitForMessage<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`${describe(child)} did not report '${type}' within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: ChildMessage) => {
      if (message.type === type) finish(undefined, message as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null) =>
      finish(new Error(`${describe(child)} exited (code ${code}) before it was ready`));
    const finish = (error?: Error, message?: Extract<ChildMessage, { type: T }>) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message as Extract<ChildMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** SIGTERM (graceful shutdown), then SIGKILL if it has not exited within `timeoutMs`. Resolves with the exit code. */
export async function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit') as Promise<[number | null]>;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = await exited;
  clearTimeout(timer);
  return code;
}

function describe(child: ChildProcess): string {
  return path.basename(String(child.spawnargs[1] ?? 'child'), '.js');
}
