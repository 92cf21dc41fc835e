import { startProgress } from '../src/progress';
import type { CliIo } from '../src/io';

/** Enough of a terminal for cli-progress: it draws with cursorTo/clearLine and reads the width. */
function fakeTerminal() {
  let drawn = '';
  const stream = {
    isTTY: true,
    columns: 100,
    write: (text: string) => ((drawn += text), true),
    cursorTo: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, drawn: () => drawn };
}

const io = (terminal?: NodeJS.WriteStream): CliIo & { err: () => string } => {
  let err = '';
  return {
    stdout: () => undefined,
    stderr: (text) => (err += text),
    env: {},
    ...(terminal ? { terminal } : {}),
    err: () => err,
  };
};

describe('startProgress', () => {
  it('draws a bar on a terminal', () => {
    const terminal = fakeTerminal();
    const progress = startProgress(io(terminal.stream), 'moved');
    progress.update(5, 10);
    progress.stop();
    expect(terminal.drawn()).toContain('moved 5/10');
  });

  it('prints a line at most once a second when piped', () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const piped = io();
      const progress = startProgress(piped, 'moved');
      progress.update(1, 10);
      jest.setSystemTime(1_500);
      progress.update(7, 10);
      progress.update(8, 10);
      progress.stop();
      expect(piped.err()).toBe('moved 7 of 10\n');
    } finally {
      jest.useRealTimers();
    }
  });
});
