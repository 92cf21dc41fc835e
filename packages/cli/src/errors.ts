import { CommanderError } from 'commander';
import { redactText, WarrenError } from '@warren/core';
import { line, type CliIo } from './io';

/**
 * A usage mistake the CLI itself detects: `CONFIRMATION_REQUIRED` (`dlq purge` or `delete` without `--yes`),
 * `OUTPUT_NOT_WRITABLE` (`export -o` a directory).
 */
export class CliUsageError extends WarrenError {}

/** Commander's own outcomes that are not errors. */
const NOT_ERRORS = new Set(['warren.exit', 'commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * The one place errors become output: `error: <message>` on stderr, then the stable code and the broker's reply
 * code. No stack trace unless `WARREN_DEBUG=1`; passwords in URLs are masked. With `--json`, the error is also a
 * JSON object on stdout (`errorJson`). Returns the exit code (1, or commander's).
 */
export function reportError(error: unknown, io: CliIo, json = false): number {
  if (error instanceof CommanderError) {
    if (json && !NOT_ERRORS.has(error.code)) line(io.stdout, JSON.stringify(errorJson(error), null, 2));
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  line(io.stderr, redactText(`error: ${message}`));
  const details = errorDetails(error);
  if (details) line(io.stderr, `  (${details})`);
  if (io.env.WARREN_DEBUG === '1' && error instanceof Error && error.stack) line(io.stderr, redactText(error.stack));
  if (json) line(io.stdout, JSON.stringify(errorJson(error), null, 2));
  return 1;
}

/** What `--json` prints for a failure (documented in the CLI README). */
export interface ErrorJson {
  /** A `WARREN_CODES` code; `USAGE` for a command-line mistake commander caught; `UNEXPECTED` otherwise. */
  readonly code: string;
  readonly message: string;
  /** The broker's AMQP reply code, when there is one. */
  readonly replyCode?: number;
  /** The management API's HTTP status, when there is one. */
  readonly status?: number;
  /** The validation issues of a topology file (path, message, line), when there are some. */
  readonly issues?: readonly unknown[];
}

export function errorJson(error: unknown): ErrorJson {
  const message = redactText(error instanceof Error ? error.message : String(error));
  if (error instanceof CommanderError) return { code: 'USAGE', message: message.replace(/^error: /, '') };
  if (!(error instanceof WarrenError)) return { code: 'UNEXPECTED', message };
  const { status, issues } = error as { status?: unknown; issues?: unknown };
  return {
    code: error.code,
    message,
    ...(error.replyCode === undefined ? {} : { replyCode: error.replyCode }),
    ...(typeof status === 'number' && status > 0 ? { status } : {}),
    ...(Array.isArray(issues) && issues.length > 0 ? { issues } : {}),
  };
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

/** The exit code of a command stopped by an interrupt (128 + SIGINT), as a shell reports it. */
export const INTERRUPTED = 130;
