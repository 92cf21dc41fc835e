import type { CliIo } from './io';

/**
 * Runs `work`, which honours `io.signal`: while it runs, an interrupt is the work's to handle (it stops cleanly and
 * says how far it got), so `bin.ts` does not exit at once. Commands not wrapped in this exit on the interrupt.
 */
export async function interruptible<T>(io: CliIo, work: () => Promise<T>): Promise<T> {
  const listener = (): void => undefined;
  io.signal?.addEventListener('abort', listener);
  try {
    return await work();
  } finally {
    io.signal?.removeEventListener('abort', listener);
  }
}
