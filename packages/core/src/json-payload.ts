import { checkPayload, summaryOf, type PayloadCheck, type ValidationIssue } from './contract';
import type { z } from 'zod';

/**
 * Checks a payload that will be sent as JSON: against the schema when there is one, then for what `JSON.stringify`
 * would drop or change without a word: functions and symbols (a property goes missing, an array item becomes
 * `null`), `undefined` array items (`null`) and properties (missing), `NaN` and `±Infinity` (`null`). A property the
 * schema strips (it is not in the schema's output) is not an issue, and neither is an `undefined` property the schema
 * accepts (the receiving schema reads a missing key the same way). An object with `toJSON` (a `Date`) is left to it.
 */
export function checkJsonPayload(schema: z.ZodType | undefined, payload: unknown): PayloadCheck {
  const checked = schema === undefined ? { ok: true as const, value: payload } : checkPayload(schema, payload);
  if (!checked.ok) return checked;
  const issues: ValidationIssue[] = [];
  lost(payload, checked.value, schema !== undefined, [], issues, []);
  return issues.length === 0 ? checked : { ok: false, issues, summary: summaryOf(issues) };
}

/**
 * Walks `value` (and the schema's output `kept` beside it); `path` and `ancestors` are pushed and popped (no copies).
 * An object that contains itself is not walked again: `JSON.stringify` reports the cycle.
 */
function lost(
  value: unknown,
  kept: unknown,
  schema: boolean,
  path: PropertyKey[],
  issues: ValidationIssue[],
  ancestors: object[],
): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) issues.push(issue(path, `${value} is sent as null in JSON`));
    return;
  }
  if (typeof value !== 'object' || value === null || ancestors.includes(value)) return;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return;
  ancestors.push(value);
  const keptObject = typeof kept === 'object' && kept !== null ? (kept as Record<PropertyKey, unknown>) : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      path.push(i);
      if (dropped(item)) issues.push(issue(path, `${describe(item)} is sent as null in JSON`));
      else lost(item, keptObject?.[i], schema, path, issues, ancestors);
      path.pop();
    }
    ancestors.pop();
    return;
  }
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    path.push(key);
    if (!dropped(item)) lost(item, keptObject?.[key], schema, path, issues, ancestors);
    else if (!(schema && (item === undefined || (keptObject !== undefined && !(key in keptObject))))) {
      issues.push(issue(path, `${describe(item)} is not sent in JSON (the key would be missing)`));
    }
    path.pop();
  }
  ancestors.pop();
}

const dropped = (value: unknown): boolean =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

const describe = (value: unknown): string => (value === undefined ? 'undefined' : `a ${typeof value}`);

const issue = (path: PropertyKey[], message: string): ValidationIssue => ({
  path: [...path],
  message,
  code: 'not_json',
});
