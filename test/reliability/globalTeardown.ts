import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTable, readRows } from './harness/report';

// Gathers the scenarios' rows into reports/reliability-<timestamp>.json and prints the table.
export default function teardown(): void {
  const dir = process.env.WARREN_RELIABILITY_ROWS;
  if (!dir) return;
  const rows = readRows(dir);
  const totalMs = Date.now() - Number(process.env.WARREN_RELIABILITY_START);
  const file = join(__dirname, '..', '..', 'reports', `reliability-${process.env.WARREN_RELIABILITY_STAMP}.json`);
  const ok = rows.every((row) => row.passed);
  writeFileSync(file, JSON.stringify({ ok, totalMs, node: process.version, scenarios: rows }, null, 2));
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `\n${formatTable(rows)}\n${rows.length} scenarios, ${ok ? 'all ok' : 'FAILURES'}, ${(totalMs / 1000).toFixed(0)} s in all; report: ${file}\n`,
  );
}
