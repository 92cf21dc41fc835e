import { Command, CommanderError } from 'commander';
import { registerApply } from './commands/apply';
import { registerDlq } from './commands/dlq';
import { registerExport } from './commands/export';
import { registerPlan } from './commands/plan';
import { registerValidate } from './commands/validate';
import { reportError } from './errors';
import { processIo, type CliIo } from './io';
import { version } from '../package.json';

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
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', HELP_FOOTER);
  registerValidate(program, io);
  registerPlan(program, io);
  registerApply(program, io);
  registerExport(program, io);
  registerDlq(program, io);
  return program;
}

const HELP_FOOTER = `
Connection (plan, apply, export, dlq): --url or AMQP_URL (comma-separated for a cluster), --management-url
(default: the AMQP host, port 15672), --vhost. Passwords are never printed.

Exit codes: 0 success, 1 error (every error names the object and the broker's reply code), 2 changes pending
(plan --detailed-exitcode). Set WARREN_DEBUG=1 to print stack traces.`;

/** Runs `warren <argv>` and resolves with its exit code; every error is reported once, on `io.stderr`. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return error instanceof CommanderError ? error.exitCode : reportError(error, io);
  }
}
