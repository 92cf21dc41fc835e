import { Command } from 'commander';
import { registerApply } from './commands/apply';
import { registerCompletion } from './commands/completion';
import { registerDelete } from './commands/delete';
import { registerDlq } from './commands/dlq';
import { registerExport } from './commands/export';
import { registerPlan } from './commands/plan';
import { registerSchedules } from './commands/schedules';
import { registerStatus } from './commands/status';
import { registerValidate } from './commands/validate';
import { logOutcome } from './cli-log';
import { reportError } from './errors';
import { processIo, type CliIo } from './io';
import { useIoEnvironment } from './target';
// By self-reference (`exports` has ./package.json): one path from src/, from dist/ and from the installed tarball.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('@warren/cli/package.json') as { version: string };

/**
 * Builds the `warren` program. Output goes through `io` and commander never calls `process.exit` (`exitOverride`),
 * so tests run the CLI in-process; `runCli` turns the outcome into an exit code.
 */
export function createProgram(io: CliIo = processIo()): Command {
  const program = new Command('warren')
    .description(
      'Topology as code for RabbitMQ: validate, plan, apply and export topology files; operate on dead letters.',
    )
    .version(version, '-V, --version')
    .option('--no-color', 'no colours in the output (also: NO_COLOR=1; FORCE_COLOR=1 colours even when piped)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', HELP_FOOTER);
  useIoEnvironment(program, io);
  registerValidate(program, io);
  registerPlan(program, io);
  registerApply(program, io);
  registerExport(program, io);
  registerDlq(program, io);
  registerStatus(program, io);
  registerSchedules(program, io);
  registerDelete(program, io);
  registerCompletion(program, io);
  return program;
}

const HELP_FOOTER = `
Connection (plan, apply, export, status, schedules, delete, dlq): --url or AMQP_URL (comma-separated for a cluster),
--management-url or AMQP_MANAGEMENT_URL (default: the AMQP host, its port + 10000), --vhost or AMQP_VHOST, --timeout
(management API, default 10 s). Passwords are never printed.

Exit codes: 0 success, 1 error (every error names the object and the broker's reply code; with --json, also a JSON
object { code, message, replyCode?, status?, issues? } on stdout), 2 changes pending (plan --detailed-exitcode),
130 interrupted (Ctrl-C; replay and apply say how far they got: run again to continue). Set WARREN_DEBUG=1 to print
stack traces.`;

/**
 * Runs `warren <argv>` and resolves with its exit code; every error is reported once, on `io.stderr` (and with
 * `--json` as a JSON object on `io.stdout`).
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const startedAt = performance.now();
  const done = (exitCode: number, error?: unknown): number => {
    if (io.logger) logOutcome(io.logger, argv, { exitCode, durationMs: performance.now() - startedAt, error });
    return exitCode;
  };
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return done(0);
  } catch (error) {
    const exitCode = reportError(error, io, argv.includes('--json'));
    return done(exitCode, exitCode === 1 ? error : undefined);
  }
}
