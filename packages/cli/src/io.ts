import type { LoggerLike } from '@warren/core';

/** Where the CLI writes and what environment it reads: the process's by default, buffers in tests. */
export interface CliIo {
  /** Receives results (plans, listings, JSON); machine-readable. `processIo()`: `process.stdout`. */
  readonly stdout: (text: string) => void;
  /** Receives warnings, errors and progress lines. `processIo()`: `process.stderr`. */
  readonly stderr: (text: string) => void;
  /** Where `AMQP_URL`, `NO_COLOR`, `FORCE_COLOR` and `WARREN_DEBUG` are read. `processIo()`: `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Whether stdout is a terminal (the plan diff is then coloured).
   * @default false
   */
  readonly stdoutIsTTY?: boolean;
  /**
   * stderr when it is a terminal: progress bars are drawn on it; without it, progress is a line now and then.
   * @default undefined (no terminal)
   */
  readonly terminal?: NodeJS.WriteStream;
  /**
   * Asks a yes/no question on a terminal (`warren delete`); absent when stdin is not a terminal.
   * @default undefined (no terminal: commands that would ask need --yes)
   */
  readonly ask?: (question: string) => Promise<boolean>;
  /**
   * Aborts on an interrupt (SIGINT): `dlq replay`, `apply` and `status --watch` stop cleanly and say how far they got.
   * @default undefined (never aborted)
   */
  readonly signal?: AbortSignal;
  /**
   * pino or any `LoggerLike`: `runCli` logs each command's outcome there (README, "Logging"), never its arguments.
   * @default undefined (nothing is logged)
   */
  readonly logger?: LoggerLike;
}

/** The real process's streams and environment. */
export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
    ...(process.stdin.isTTY ? { ask } : {}),
    ...(signal ? { signal } : {}),
  };
}

async function ask(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** Writes `text` followed by a newline. */
export const line = (write: (text: string) => void, text: string): void => write(`${text}\n`);
