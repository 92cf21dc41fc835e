import { createColors } from 'picocolors';

/** picocolors' formatters (its type is not exported by name). */
export type Colors = ReturnType<typeof createColors>;
import type { CliIo } from './io';

/**
 * Colours for stdout: on a terminal, unless `--no-color` or `NO_COLOR` (any value but empty) says no;
 * `FORCE_COLOR` (not `0`) colours even when piped. See https://no-color.org.
 */
export function colorsFor(io: CliIo, colorFlag: boolean): Colors {
  return createColors(colorEnabled(io, colorFlag));
}

export function colorEnabled(io: CliIo, colorFlag: boolean): boolean {
  if (!colorFlag) return false;
  if ((io.env.NO_COLOR ?? '') !== '') return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  return io.stdoutIsTTY === true;
}

/** No colour at all: the default of the formatters. */
export const plain: Colors = createColors(false);
