import type { Consumer } from './consumer';
import { checkOptions, knownOptions } from '@warren/core';
import { CLOSE_OPTIONS, type CloseOptions } from './options';

export interface CloseOnSignalsOptions extends CloseOptions {
  /** The signals that start a graceful close. @default ['SIGTERM', 'SIGINT'] */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * Called after the consumer closed, with the error if closing failed (exit the process here if something else
   * keeps it alive).
   * @default none: the process exits by itself once nothing else keeps it alive
   */
  readonly onClosed?: (error?: unknown) => void;
}

const CLOSE_ON_SIGNALS_OPTIONS = knownOptions<CloseOnSignalsOptions>({
  ...CLOSE_OPTIONS,
  signals: true,
  onClosed: true,
});

/**
 * Closes the consumer gracefully on the first SIGTERM or SIGINT (no new deliveries, in-flight handlers finish,
 * the rest go back to the queue). The listeners are removed at once, so a second signal kills the process the
 * default way. Returns a function that removes them.
 * @example
 * closeOnSignals(consumer, { timeoutMs: 20_000, onClosed: () => process.exit(0) });
 */
export function closeOnSignals(consumer: Consumer, options: CloseOnSignalsOptions = {}): () => void {
  checkOptions('closeOnSignals()', options, CLOSE_ON_SIGNALS_OPTIONS);
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const remove = (): void => void signals.forEach((signal) => process.removeListener(signal, onSignal));
  function onSignal(): void {
    remove();
    consumer.close({ timeoutMs: options.timeoutMs }).then(
      () => options.onClosed?.(),
      (error: unknown) => options.onClosed?.(error),
    );
  }
  for (const signal of signals) process.on(signal, onSignal);
  return remove;
}
