/** Where the CLI writes and what environment it reads: the process's by default, buffers in tests. */
export interface CliIo {
  /** Receives results (plans, listings, JSON); machine-readable. `processIo()`: `process.stdout`. */
  readonly stdout: (text: string) => void;
  /** Receives warnings and errors. `processIo()`: `process.stderr`. */
  readonly stderr: (text: string) => void;
  /** Where `AMQP_URL` and `WARREN_DEBUG` are read. `processIo()`: `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  };
}

/** Writes `text` followed by a newline. */
export const line = (write: (text: string) => void, text: string): void => write(`${text}\n`);
