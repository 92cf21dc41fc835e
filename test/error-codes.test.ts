import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WARREN_CODES } from '@warren/core';

// Codes are public API: each one is documented in the README's "Error codes" table, once, and the table documents
// no code that Warren cannot throw.
const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const section = readme.split('\n## Error codes\n')[1]?.split('\n## ')[0] ?? '';
const documented = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]);

describe('the error codes', () => {
  it('are listed once in WARREN_CODES', () => {
    expect(new Set(WARREN_CODES).size).toBe(WARREN_CODES.length);
  });

  it('each have one row in the README table, and every row is a code', () => {
    expect(documented.filter((code, i) => documented.indexOf(code) !== i)).toEqual([]);
    expect([...documented].sort()).toEqual([...WARREN_CODES].sort());
  });
});
