import type { Ledger } from '@warren/testing';

/** Records every unhandled rejection in the ledger while the scenario runs; returns the function that stops it. */
export function watchUnhandled(ledger: Ledger): () => void {
  const onRejection = (reason: unknown) => ledger.unhandled(`unhandledRejection: ${String(reason)}`);
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
