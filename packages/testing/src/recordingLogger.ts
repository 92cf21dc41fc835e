import type { LoggerLike } from '@warren/core';

/** One line a `recordingLogger` kept: the level, the bindings of its `child` loggers, the fields and `msg`. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly level: string; readonly msg?: string };

/** A pino-like logger for tests, and the lines it kept. */
export interface RecordingLogger {
  readonly logger: LoggerLike;
  /** Every line so far, in order. */
  readonly lines: LogLine[];
  /** Every line as pino would print it (one JSON text each): what a "no password in the log" check reads. */
  text(): string[];
  /** The lines with this `component` binding and this message. */
  find(component: string, msg: string): LogLine[];
}

/**
 * A logger that keeps its lines instead of printing them, with pino's `child`: tests stay silent and can assert
 * what a service would log.
 * @example
 * const log = recordingLogger();
 * const consumer = createConsumer({ urls, topology, logger: log.logger });
 * expect(log.find('warren-consumer', 'connected')).toHaveLength(1);
 */
export function recordingLogger(): RecordingLogger {
  const lines: LogLine[] = [];
  const make = (bindings: Record<string, unknown>): LoggerLike => {
    const line = (level: string) => (fields: object, msg?: string) =>
      void lines.push({ level, ...bindings, ...fields, msg });
    const child = (more: Record<string, unknown>): LoggerLike => make({ ...bindings, ...more });
    return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'), child };
  };
  return {
    logger: make({}),
    lines,
    text: () => lines.map((line) => JSON.stringify(line)),
    find: (component, msg) => lines.filter((line) => line.component === component && line.msg === msg),
  };
}
