import { Ledger, type Verdict, type VerdictInput } from '@warren/testing';
import { recordRow, type ScenarioRow } from './report';
import { watchUnhandled } from './watchUnhandled';

export interface Scenario {
  readonly ledger: Ledger;
  /** Registers a cleanup; they run after the file, last registered first, each bounded to 30 s. */
  defer(cleanup: () => unknown): void;
  /** Judges the ledger, writes the report row, and returns the verdict for the test's assertions. */
  finish(input: VerdictInput, notes?: Record<string, unknown>): Verdict;
  /** The test's last line: every assertion held (its row says `ok` only then). */
  passed(): void;
}

/**
 * Call at the top of a scenario file: a ledger, unhandled rejections recorded in it, cleanups after the file, and a
 * row in the suite's report. The time reported runs from the file's start (broker start-up included).
 */
export function useScenario(name: string, indeterminateCodes?: readonly string[]): Scenario {
  const ledger = new Ledger(indeterminateCodes);
  const cleanups: (() => unknown)[] = [];
  const started = Date.now();
  const unwatch = watchUnhandled(ledger);
  let row: ScenarioRow | undefined;
  afterAll(async () => {
    // A test that threw before its verdict still gets a row, failed, with what the ledger knew.
    row ??= {
      scenario: name,
      timeMs: Date.now() - started,
      verdict: ledger.verdict({ drained: false }),
      passed: false,
    };
    recordRow(row);
    for (const cleanup of cleanups.reverse()) {
      await Promise.race([
        Promise.resolve()
          .then(cleanup)
          .catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 30_000).unref()),
      ]);
    }
    unwatch();
  });
  return {
    ledger,
    defer: (cleanup) => void cleanups.push(cleanup),
    finish(input, notes) {
      const verdict = ledger.verdict(input);
      row = { scenario: name, timeMs: Date.now() - started, verdict, notes, passed: false };
      return verdict;
    },
    passed() {
      if (row) row = { ...row, passed: true };
    },
  };
}

/** The assertions every scenario makes, as one object so a failure shows every number at once. */
export function expectClean(verdict: Verdict): void {
  expect({
    lost: verdict.lost.length,
    unexpected: verdict.unexpected.length,
    drained: verdict.drained,
    unhandled: verdict.unhandled,
    duplicatesWithinBound: verdict.duplicates <= verdict.duplicateBound,
  }).toEqual({ lost: 0, unexpected: 0, drained: true, unhandled: [], duplicatesWithinBound: true });
}
