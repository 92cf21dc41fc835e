import { SingleBar } from 'cli-progress';
import { line, type CliIo } from './io';

/** A running progress report: a bar on a terminal, a line every `PERIOD_MS` otherwise. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** How often a piped run prints a progress line. */
const PERIOD_MS = 1_000;

/** `label` names the work (`moved`, `applied`); nothing is shown until the first update. */
export function startProgress(io: CliIo, label: string): Progress {
  return io.terminal ? bar(io.terminal, label) : lines(io, label);
}

function bar(stream: NodeJS.WriteStream, label: string): Progress {
  const progress = new SingleBar({
    stream,
    format: `${label} {value}/{total} [{bar}] {percentage}% | ETA {eta_formatted}`,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) progress.start(total, done);
      started = true;
      progress.update(done);
    },
    stop: () => started && progress.stop(),
  };
}

function lines(io: CliIo, label: string): Progress {
  let last = Date.now();
  return {
    update(done, total) {
      if (Date.now() - last < PERIOD_MS) return;
      last = Date.now();
      line(io.stderr, `${label} ${done} of ${total}`);
    },
    stop: () => undefined,
  };
}
