import { componentLogger, type LoggerLike } from '@warren/core';
import { errorJson } from './errors';

/**
 * @internal What `runCli` logs when its `io` has a `logger`: each command's outcome, one line (info on success,
 * error with the stable code and the masked message on failure, both with the exit code and the duration). The
 * arguments are not logged: a URL in them may hold a password.
 */
export function logOutcome(logger: LoggerLike, argv: readonly string[], outcome: Outcome): void {
  const log = componentLogger(logger, { component: 'warren-cli' });
  const command = argv.find((arg) => !arg.startsWith('-')) ?? '';
  const fields = { command, exitCode: outcome.exitCode, durationMs: Math.round(outcome.durationMs) };
  if (outcome.error === undefined) return log.info(fields, `warren ${command} finished`);
  const { code, message } = errorJson(outcome.error);
  log.error({ ...fields, code, reason: message }, `warren ${command} failed`);
}

/** @internal How a command ended. */
export interface Outcome {
  readonly exitCode: number;
  readonly durationMs: number;
  readonly error?: unknown;
}
