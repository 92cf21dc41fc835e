/**
 * The logger Warren writes to: any pino-compatible object (pino, or a fake in a test). Warren calls it the pino way,
 * `logger.info({ queue }, 'message')`: the fields first, then the message. Nothing is logged without a logger.
 */
export interface LoggerLike {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  /** pino's `child`: a logger that adds `bindings` to every line. Used when present. */
  child?(bindings: Record<string, unknown>): LoggerLike;
}

/**
 * The logger of one Warren component: `logger.child(bindings)` when it has `child`, else a logger that merges the
 * bindings into the fields of every line.
 */
export function componentLogger(logger: LoggerLike, bindings: Record<string, unknown>): LoggerLike {
  if (typeof logger.child === 'function') return logger.child(bindings);
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (fields: object, message?: string): void =>
      logger[level]({ ...bindings, ...fields }, message);
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
