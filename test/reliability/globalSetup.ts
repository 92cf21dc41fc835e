import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// One directory of rows per run; the scenarios run in this process (--runInBand), so they see the variable.
export default function setup(): void {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(__dirname, '..', '..', 'reports', `.rows-${stamp}`);
  mkdirSync(dir, { recursive: true });
  process.env.WARREN_RELIABILITY_ROWS = dir;
  process.env.WARREN_RELIABILITY_STAMP = stamp;
  process.env.WARREN_RELIABILITY_START = String(Date.now());
}
