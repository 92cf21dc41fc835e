import { CommanderError } from 'commander';
import { redactText, WarrenError } from '@warren/core';
import { line, type CliIo } from './io';

/** A usage mistake the CLI itself detects (e.g. `dlq purge` without `--yes`). */
export class CliUsageError extends WarrenError {}

/**
 * The one place errors become output: `error: <message>` on stderr, then the stable code and the broker's reply
 * code. No stack trace unless `WARREN_DEBUG=1`; passwords in URLs are masked. Returns the exit code (1).
 */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) return error.exitCode;
  const message = error instanceof Error ? error.message : String(error);
  line(io.stderr, redactText(`error: ${message}`));
  const details = errorDetails(error);
  if (details) line(io.stderr, `  (${details})`);
  if (io.env.WARREN_DEBUG === '1' && error instanceof Error && error.stack) line(io.stderr, redactText(error.stack));
  return 1;
}

/** `code TOPOLOGY_DRIFT, reply code 406, HTTP 404`: what a script or a search engine can key on. */
export function errorDetails(error: unknown): string {
  if (!(error instanceof WarrenError)) return 'unexpected error; set WARREN_DEBUG=1 to see the stack trace';
  const status = (error as { status?: unknown }).status;
  return [
    `code ${error.code}`,
    error.replyCode === undefined ? '' : `reply code ${error.replyCode}`,
    typeof status === 'number' && status > 0 ? `HTTP ${status}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * Ends a command with `exitCode` without printing anything more: commander's `exitOverride()` turns it into the
 * exit code of `runCli` (and of the process).
 */
export function exitWith(exitCode: number): never {
  throw new CommanderError(exitCode, 'warren.exit', '');
}
