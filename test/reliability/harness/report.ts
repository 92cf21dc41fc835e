import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '@warren/testing';

/** One scenario's line in the report. */
export interface ScenarioRow {
  readonly scenario: string;
  readonly timeMs: number;
  readonly verdict: Verdict;
  /** What the scenario measured besides the ledger (detection time, fail-over time, ...). */
  readonly notes?: Readonly<Record<string, unknown>>;
  /** Every assertion of the scenario held (the ledger's verdict and the scenario's own checks). */
  readonly passed: boolean;
}

/** Where the rows of this run go: set by the suite's global setup, else a directory of its own. */
export function rowsDir(): string {
  const dir = process.env.WARREN_RELIABILITY_ROWS ?? join(__dirname, '..', '..', '..', 'reports', '.rows-adhoc');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes the scenario's row (the lost and unexpected ids are cut to 20 each: the counts stay exact). */
export function recordRow(row: ScenarioRow): void {
  const verdict = {
    ...row.verdict,
    lost: row.verdict.lost.slice(0, 20),
    unexpected: row.verdict.unexpected.slice(0, 20),
  };
  const counts = { lostCount: row.verdict.lost.length, unexpectedCount: row.verdict.unexpected.length };
  const file = join(rowsDir(), `${row.scenario.replace(/[^a-z0-9]+/gi, '-')}.json`);
  writeFileSync(file, JSON.stringify({ ...row, verdict: { ...verdict, ...counts } }, null, 2));
}

export type StoredRow = ScenarioRow & { verdict: Verdict & { lostCount: number; unexpectedCount: number } };

export function readRows(dir: string): StoredRow[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as StoredRow);
}

/** The table of the issue: scenario, sent, confirmed, lost, duplicates, unexpected, drained, time. */
export function formatTable(rows: readonly StoredRow[]): string {
  const header = [
    'scenario',
    'sent',
    'confirmed',
    'lost',
    'duplicates (bound)',
    'unexpected',
    'drained',
    'unhandled',
    'time',
    'ok',
  ];
  const lines = rows.map((row) => {
    const v = row.verdict;
    const bound = v.duplicateBound === null || v.duplicateBound === Infinity ? '-' : String(v.duplicateBound);
    return [
      row.scenario,
      String(v.sent),
      String(v.confirmed),
      String(v.lostCount),
      `${v.duplicates} (${v.duplicatesPct}%, ≤ ${bound})`,
      String(v.unexpectedCount),
      v.drained ? 'yes' : 'NO',
      String(v.unhandled.length),
      `${(row.timeMs / 1000).toFixed(1)} s`,
      row.passed ? 'ok' : 'FAIL',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const fmt = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
}
