import { ConnectionConfigError, describeError, type WarrenError } from '@warren/core';
import { ExchangeNotFoundError, MessageTooLargeError } from './errors';
import type { Outbound } from './Outbound';

/**
 * @internal Given the error that closed a channel, returns a function naming the unconfirmed messages that caused
 * it (they fail with a typed error; every other unconfirmed message is re-sent on a new channel). Undefined when
 * the close says nothing about a message (connection lost, 320 forced close, ...).
 */
export function culpritOf(
  error: unknown,
): ((message: Pick<Outbound, 'exchange' | 'body'>) => WarrenError | undefined) | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  const text = describeError(error);
  const exchange = /no exchange '(.*)' in vhost/.exec(text)?.[1];
  if (code === 404 && exchange !== undefined) {
    return (m) => (m.exchange === exchange ? exchangeNotFound(exchange, text, error) : undefined);
  }
  const size = /message size (\d+) is larger than/.exec(text)?.[1];
  if (code === 406 && size !== undefined) {
    return (m) =>
      m.body.length === Number(size)
        ? new MessageTooLargeError('MESSAGE_TOO_LARGE', `The broker refused a ${size}-byte message: ${text}`, {
            cause: error,
            replyCode: 406,
          })
        : undefined;
  }
  const denied = /access to exchange '(.*)' in vhost/.exec(text)?.[1];
  if (code === 403 && denied !== undefined) {
    return (m) =>
      m.exchange === denied
        ? new ConnectionConfigError('ACCESS_REFUSED', `No permission to publish to exchange '${denied}': ${text}`, {
            cause: error,
            replyCode: 403,
          })
        : undefined;
  }
  return undefined;
}

function exchangeNotFound(exchange: string, text: string, cause: unknown): ExchangeNotFoundError {
  return new ExchangeNotFoundError(
    'EXCHANGE_NOT_FOUND',
    `Exchange '${exchange}' does not exist (404): declare it (warren apply) or fix the contract. Broker: ${text}`,
    { cause, replyCode: 404 },
  );
}
