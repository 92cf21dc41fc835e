import { WarrenError } from '@warren/core';

/** A path into the topology file: keys and array indexes. */
export type IssuePath = readonly (string | number)[];

/** One problem in a topology file. */
export interface TopologyIssue {
  /** Where, e.g. `queues['billing.order-created'].retry.delays[1]`. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** 1-based line in the YAML/JSON file, when the topology was loaded from one. */
  readonly line?: number;
  /** 1-based column, with `line`. */
  readonly column?: number;
}

/**
 * The topology is invalid: `issues` lists every problem (not only the first), each with its path and, for a
 * file, its line. Nothing was sent to the broker. Code `TOPOLOGY_INVALID`.
 */
export class TopologyValidationError extends WarrenError {
  readonly issues: readonly TopologyIssue[];
  /** The file (or other source) the topology came from, when known. */
  readonly source?: string;

  constructor(issues: readonly TopologyIssue[], source?: string) {
    super('TOPOLOGY_INVALID', validationMessage(issues, source));
    this.issues = issues;
    if (source !== undefined) this.source = source;
  }
}

function validationMessage(issues: readonly TopologyIssue[], source: string | undefined): string {
  const where = source === undefined ? 'The topology' : `The topology in ${source}`;
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return [`${where} has ${count}:`, ...issues.map((issue) => `  - ${formatIssue(issue)}`)].join('\n');
}

/** `line 12: queues.billing.limits: unknown key "maxLenght" ...`. */
export function formatIssue(issue: TopologyIssue): string {
  const line = issue.line === undefined ? '' : `line ${issue.line}: `;
  return `${line}${issue.path || '(top level)'}: ${issue.message}`;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `['queues', 'billing.order-created', 'retry', 'delays', 1]` → `queues['billing.order-created'].retry.delays[1]`. */
export function formatPath(path: IssuePath): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    if (PLAIN_KEY.test(key)) return out === '' ? key : `${out}.${key}`;
    return `${out}[${quote(key)}]`;
  }, '');
}

const quote = (key: string): string => `'${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
