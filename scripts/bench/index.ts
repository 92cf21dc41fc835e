/**
 * Runs the benchmark files, one child process each (a clean heap and CPU clock per bench), in order:
 *
 *   npm run bench                 # every bench listed below
 *   npm run bench -- publish      # only these
 *
 * The benches import the packages by name, so they measure the built code (`npm run bench` builds first).
 * A bench is a script that prints its figures and exits non-zero on failure. Add yours to BENCHES.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const BENCHES = ['publish', 'consume', 'idempotency', 'peers'];

const only = process.argv.slice(2);
let failed = false;
for (const name of BENCHES.filter((bench) => only.length === 0 || only.includes(bench))) {
  const file = join(__dirname, `${name}.ts`);
  if (!existsSync(file)) {
    console.log(`\n== ${name}: skipped (${name}.ts does not exist yet)`);
    continue;
  }
  console.log(`\n== ${name}`);
  const project = join(__dirname, 'tsconfig.json');
  // tsx compiles the bench (esbuild, no type-check: `tsc -b` did that); TSX_TSCONFIG_PATH picks the bench tsconfig.
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], {
    stdio: 'inherit',
    env: { ...process.env, TSX_TSCONFIG_PATH: project },
  });
  if (result.status !== 0) {
    failed = true;
    console.log(`== ${name}: failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed ? 1 : 0);
