#!/usr/bin/env node
import { getEventListeners } from 'node:events';
import { processIo } from './io';
import { runCli } from './program';

const interrupt = new AbortController();
process.once('SIGINT', () => {
  // A command that stops cleanly (replay, apply, status --watch) listens and says how far it got; any other stops
  // here. A second Ctrl-C always stops (the default handler is back).
  const handled = getEventListeners(interrupt.signal, 'abort').length > 0;
  interrupt.abort();
  if (handled) return;
  process.stderr.write('Interrupted.\n');
  process.exit(130);
});

void runCli(process.argv.slice(2), processIo(interrupt.signal)).then((code) => {
  process.exitCode = code;
  // fetch keeps idle management-API connections open for ~4 s: exit once the output is flushed instead.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
