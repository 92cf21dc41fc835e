#!/usr/bin/env node
import { runCli } from './program';

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // fetch keeps idle management-API connections open for ~4 s: exit once the output is flushed instead.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
