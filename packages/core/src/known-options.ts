import { suggestion } from './did-you-mean';
import { WarrenError } from './errors';

/** The keys an options object may have: made once, next to its interface, by `knownOptions`. */
export type KnownOptions<T> = { readonly [K in keyof Required<T>]: true };

/**
 * The option names of `T`, as a record that must list every one of them (the compiler says which is missing):
 * `knownOptions<CloseOptions>({ timeoutMs: true })`. Spread one into another for an interface that extends one.
 */
export function knownOptions<T>(keys: KnownOptions<T>): KnownOptions<T> {
  return Object.freeze(keys);
}

/**
 * `INVALID_OPTION` for the first key of `options` that `known` does not list (with a "did you mean"), or undefined.
 * A key whose value is `undefined` is ignored: it sets nothing. Cheap enough for a publish: one `for…in` over a
 * small object and a property read per key.
 */
export function unknownOption(
  what: string,
  options: object | undefined,
  known: Readonly<Record<string, true>>,
): WarrenError | undefined {
  if (options === undefined || options === null) return undefined;
  for (const key in options) {
    if (known[key] !== true && (options as Record<string, unknown>)[key] !== undefined) {
      return unknownOptionError(what, key, Object.keys(known));
    }
  }
  return undefined;
}

/** Throws `unknownOption(...)` if there is one. */
export function checkOptions(what: string, options: object | undefined, known: Readonly<Record<string, true>>): void {
  const error = unknownOption(what, options, known);
  if (error) throw error;
}

function unknownOptionError(what: string, key: string, known: readonly string[]): WarrenError {
  const hint = suggestion(key, known) || `; the options are ${known.join(', ')}.`;
  return new WarrenError('INVALID_OPTION', `Unknown ${what} option ${JSON.stringify(key)}${hint}`);
}
