import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { WarrenError } from '@warren/core';
import { rememberLocations } from './locations';
import { validateTopology, type Locate } from './parse';
import type { Topology } from '../model/schema';
import { TopologyValidationError } from './validation-error';

/** The topology file could not be read or loaded (missing, unsupported extension, module threw). Code `TOPOLOGY_FILE_ERROR`. */
export class TopologyFileError extends WarrenError {
  readonly file: string;
  constructor(file: string, message: string, cause?: unknown) {
    super('TOPOLOGY_FILE_ERROR', message, { cause });
    this.file = file;
  }
}

const TEXT_EXTENSIONS = ['.yaml', '.yml', '.json'];
const MODULE_EXTENSIONS = ['.js', '.cjs', '.mjs', '.ts', '.cts'];

/**
 * Loads and validates a topology file:
 * - `.yaml`/`.yml`/`.json`: read with the YAML parser (JSON is YAML), so every issue carries its line;
 * - `.js`/`.cjs` (and `.mjs` on Node ≥ 20.19): a module exporting the topology as `topology`, as `default`, or as
 *   `module.exports`;
 * - `.ts`/`.cts`: the same, compiled on the fly with `tsx` (an optional peer dependency: `npm i -D tsx`), or with
 *   Node's own type stripping where it is on (Node ≥ 22.18) and tsx is not installed.
 *
 * @throws TopologyValidationError (code `TOPOLOGY_INVALID`) for a syntax error or an invalid topology.
 * @throws TopologyFileError (code `TOPOLOGY_FILE_ERROR`) when the file cannot be read or loaded.
 */
export async function loadTopologyFile(path: string): Promise<Topology> {
  const extension = extname(path).toLowerCase();
  if (TEXT_EXTENSIONS.includes(extension)) return parseTopologyText(await readText(path), path);
  if (MODULE_EXTENSIONS.includes(extension)) return validateTopology(loadModule(path, extension), path);
  const supported = [...TEXT_EXTENSIONS, ...MODULE_EXTENSIONS].join(', ');
  throw new TopologyFileError(path, `Cannot load topology file ${path}: unsupported extension (use ${supported})`);
}

/** Validates YAML or JSON text; issues carry their line. `source` names the file in messages. */
export function parseTopologyText(text: string, source?: string): Topology {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true }); // `<<: *defaults` merge keys
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return { path: '', message: `${error.message} (fix the YAML/JSON syntax)`, line, column: col };
    });
    throw new TopologyValidationError(issues, source);
  }
  const locate = locator(doc, lineCounter);
  const topology = validateTopology(expandAliases(doc, source), source, locate);
  rememberLocations(topology, locate);
  return topology;
}

/** The document as plain data; more than 1,000 alias expansions is a "billion laughs" file, refused with a hint. */
function expandAliases(doc: Document, source: string | undefined): unknown {
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    const file = source ?? 'the topology text';
    throw new TopologyFileError(
      file,
      `Cannot load ${file}: its YAML aliases (*name) expand more than 1,000 times, which Warren refuses as a ` +
        `resource exhaustion attack. Write the repeated parts out, or use fewer nested aliases.`,
      error,
    );
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new TopologyFileError(path, `Cannot read topology file ${path}: ${(error as Error).message}`, error);
  }
}

/** Maps an issue path to the line of the deepest node it reaches (a key's own line for a map entry). */
function locator(doc: Document, lineCounter: LineCounter): Locate {
  return (path) => {
    let node = resolveAlias(doc, doc.contents);
    let offset = node?.range?.[0];
    for (const segment of path) {
      const next = child(node, segment);
      if (next === undefined) break;
      offset = next.at ?? offset;
      node = resolveAlias(doc, next.node);
    }
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
}

function child(
  node: Node | null | undefined,
  segment: string | number,
): { node: Node | null; at?: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
    if (pair === undefined) return undefined;
    return { node: pair.value as Node | null, at: (pair.key as Node).range?.[0] };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    return item === undefined ? undefined : { node: item, at: item.range?.[0] };
  }
  return undefined;
}

const resolveAlias = (doc: Document, node: Node | null | undefined): Node | null | undefined =>
  isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;

function loadModule(path: string, extension: string): unknown {
  const file = resolve(path);
  const load = extension === '.ts' || extension === '.cts' ? typeScriptLoader(file) : require;
  try {
    delete require.cache[file]; // a fresh copy each time: the file may have changed since the last load
    const exports = load(file) as Record<string, unknown> | undefined;
    return exports?.topology ?? exports?.default ?? exports;
  } catch (error) {
    throw new TopologyFileError(path, `Cannot load topology module ${path}: ${(error as Error).message}`, error);
  }
}

type Load = (file: string) => unknown;

/**
 * How to `require` a TypeScript file: as is where something already compiles `.ts` (a registered `.ts` hook, or
 * not Node's loader at all: jest's registry has no `.js` hook and compiles `.ts` itself), else with tsx's scoped
 * `require` (no global hook left behind), else with Node's own type stripping.
 */
function typeScriptLoader(file: string): Load {
  if (require.extensions['.ts'] !== undefined || require.extensions['.js'] === undefined) return require;
  const tsx = optionalTsx();
  if (tsx !== undefined) return (target) => tsx.require(target, __filename);
  if ((process.features as { typescript?: string | false }).typescript) return require; // Node 22.18+, 23.6+
  const message =
    `Cannot load ${file}: a .ts topology needs tsx (npm i -D tsx) or Node's type stripping (Node ≥ 22.18), ` +
    `or compile it to .js first`;
  throw new TopologyFileError(file, message);
}

function optionalTsx(): { require(id: string, fromFile: string): unknown } | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer: only for .ts topology files
    return require('tsx/cjs/api') as { require(id: string, fromFile: string): unknown };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined; // not installed
    throw error;
  }
}
