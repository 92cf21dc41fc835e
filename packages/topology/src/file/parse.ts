import type { z } from 'zod';
import { suggestion } from '../model/did-you-mean';
import { crossReferenceIssues, type RawIssue } from './references';
import { ALLOWED_KEYS, exchangeSchema, queueSchema, topologySchema, type Topology } from '../model/schema';
import { formatPath, TopologyValidationError, type IssuePath, type TopologyIssue } from './validation-error';

/** Finds where a path is in the source file (1-based line and column), when there is a file. @internal */
export type Locate = (path: IssuePath) => { line: number; column: number } | undefined;

export interface ParseTopologyOptions {
  /**
   * Where the topology came from (a file name): named in the `TopologyValidationError` message and its `source`.
   * @default none: the message says "The topology" and `source` is unset
   */
  readonly source?: string;
}

/**
 * Validates a topology (the parsed content of a YAML/JSON file, or an object) and returns it fully defaulted.
 * Checks the shape, then the cross-references; reports every problem at once.
 *
 * @throws TopologyValidationError (code `TOPOLOGY_INVALID`) listing each issue with its path.
 */
export function parseTopology(input: unknown, options: ParseTopologyOptions = {}): Topology {
  return validateTopology(input, options.source);
}

/** `parseTopology`, with issues located in the source file. @internal */
export function validateTopology(file: unknown, source?: string, locate?: Locate): Topology {
  const input = withoutExtensions(file);
  const result = topologySchema.safeParse(input);
  if (result.success) {
    const issues = crossReferenceIssues(result.data);
    if (issues.length === 0) return result.data;
    throw new TopologyValidationError(located(issues, locate), source);
  }
  const shapeIssues = result.error.issues.flatMap((i) => fromZod(i, []));
  const partial = partialTopology(input);
  const references = partial === undefined ? [] : crossReferenceIssues(partial.topology, partial.salvaged);
  throw new TopologyValidationError(located([...shapeIssues, ...references], locate), source);
}

/** Top-level keys starting with `x-` are ignored, as in Compose files: a place for YAML anchors (`x-defaults: &d`). */
function withoutExtensions(input: unknown): unknown {
  if (!isRecord(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([key]) => !key.startsWith('x-')));
}

/**
 * The topology as far as it is valid: each entry that fails the schema loses its invalid keys (or becomes a
 * neutral stand-in), so one run reports broken references along with shape errors. Salvaged entries skip the
 * per-entry checks, which could misfire on their defaults.
 */
function partialTopology(input: unknown): { topology: Topology; salvaged: ReadonlySet<string> } | undefined {
  if (!isRecord(input)) return undefined;
  const salvaged = new Set<string>();
  const section = <T>(kind: string, raw: unknown, schema: z.ZodType<T>, standIn: T): Record<string, T> =>
    Object.fromEntries(
      Object.entries(isRecord(raw) ? raw : {}).map(([name, entry]) => {
        const valid = schema.safeParse(entry);
        if (valid.success) return [name, valid.data];
        salvaged.add(`${kind}/${name}`);
        return [name, schema.safeParse(withoutInvalidKeys(entry, valid.error.issues)).data ?? standIn];
      }),
    );
  const topology = {
    exchanges: section('exchanges', input.exchanges, exchangeSchema, exchangeSchema.parse({ type: 'direct' })),
    queues: section('queues', input.queues, queueSchema, queueSchema.parse({ deadLetter: false })),
  };
  return { topology, salvaged };
}

function withoutInvalidKeys(entry: unknown, issues: readonly ZodIssue[]): unknown {
  if (!isRecord(entry)) return entry;
  const invalid = new Set(
    issues.flatMap((i) => (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys : [String(i.path[0])])),
  );
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !invalid.has(key)));
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function located(raw: readonly RawIssue[], locate: Locate | undefined): TopologyIssue[] {
  const issues = raw.map(({ path, message }): TopologyIssue => {
    const position = locate?.(path);
    return position === undefined
      ? { path: formatPath(path), message }
      : { path: formatPath(path), message, ...position };
  });
  // Stable: issues without a line keep their place relative to each other.
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

type ZodIssue = z.core.$ZodIssue;

function fromZod(issue: ZodIssue, prefix: IssuePath): RawIssue[] {
  const path = [...prefix, ...(issue.path as (string | number)[])];
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownKey(path, key));
  if (issue.code === 'invalid_union') return fromUnion(issue, path);
  if (path.length === 0 && issue.code === 'invalid_type')
    return [{ path, message: 'expected an object with `exchanges` and `queues`' }];
  return [{ path, message: issue.message }];
}

/** A union failed: report the branch that got furthest (matched the type), else the union's own message. */
function fromUnion(issue: z.core.$ZodIssueInvalidUnion, path: IssuePath): RawIssue[] {
  const deeper = issue.errors.find((branch) => branch.length > 0 && branch.every((i) => i.path.length > 0));
  const strict = issue.errors.find((branch) => branch.some((i) => i.code === 'unrecognized_keys'));
  const branch = deeper ?? strict;
  return branch === undefined ? [{ path, message: issue.message }] : branch.flatMap((i) => fromZod(i, path));
}

function unknownKey(path: IssuePath, key: string): RawIssue {
  const allowed = allowedKeys(path);
  return {
    path: [...path, key],
    message: `unknown key ${JSON.stringify(key)}${suggestion(key, allowed)} (allowed here: ${allowed.join(', ')})`,
  };
}

/** The keys allowed in the object at `path`, from the shape of the file format. */
function allowedKeys(path: IssuePath): readonly string[] {
  const last = path[path.length - 1];
  if (path.length === 0) return ALLOWED_KEYS.topology;
  if (typeof last === 'number') return ALLOWED_KEYS.binding;
  if (path[0] === 'schedules') return ALLOWED_KEYS.schedule;
  if (path.length === 2) return path[0] === 'exchanges' ? ALLOWED_KEYS.exchange : ALLOWED_KEYS.queue;
  if (last === 'limits') return ALLOWED_KEYS.limits;
  return ALLOWED_KEYS.retry;
}
