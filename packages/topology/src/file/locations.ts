import type { Locate } from './parse';
import type { IssuePath } from './validation-error';

/**
 * Where each part of a loaded topology is in its file, kept beside the parsed object (not in it, so a Topology
 * stays plain data) so that lint warnings can carry line numbers like validation issues do.
 */
const LOCATIONS = new WeakMap<object, Locate>();

/** @internal */
export function rememberLocations(topology: object, locate: Locate): void {
  LOCATIONS.set(topology, locate);
}

/** The 1-based line and column of `path` in the file `topology` was loaded from, if it was. @internal */
export function locationOf(topology: object, path: IssuePath): { line: number; column: number } | undefined {
  return LOCATIONS.get(topology)?.(path);
}
