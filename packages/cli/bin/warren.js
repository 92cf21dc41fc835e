#!/usr/bin/env node
// A committed, executable shim: npm links it at install time, before `tsc -b` has built dist/.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'src', 'bin.js');
if (!existsSync(entry)) {
  // In a clone of the repository right after `npm ci`: the CLI is TypeScript and has not been compiled yet.
  process.stderr.write(
    'warren: dist/src/bin.js is missing: the CLI has not been built.\n' +
      'In a clone of the Warren repository, run `npm run build` first (then `npx warren --help`).\n',
  );
  process.exit(1);
}
require(entry);
