import { spawn } from 'node:child_process';
import * as path from 'node:path';

/** The built `warren` CLI of this repository (what `npx warren` runs). */
export function warrenBin(): string {
  return path.join(path.dirname(require.resolve('@warren/cli/package.json')), 'dist', 'src', 'bin.js');
}

/**
 * Runs `warren <args>` as a child process, as a user would from a shell. Resolves with its exit code and output;
 * the demo shows the output so the reader sees what `warren apply` did.
 */
export function runWarren(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [warrenBin(), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
