/**
 * The base of every error Warren throws. `code` is stable public API (documented in the README and tested);
 * messages may change. `replyCode` keeps the broker's AMQP reply code (403, 404, 406, ...) when there is one.
 */
export class WarrenError extends Error {
  readonly code: string;
  readonly replyCode?: number;

  constructor(code: string, message: string, options: { cause?: unknown; replyCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.replyCode !== undefined) this.replyCode = options.replyCode;
  }
}
