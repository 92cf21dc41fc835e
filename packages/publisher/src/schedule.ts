import { delayRoute, HEADERS, InvalidDelayError, parseDelayOption } from '@warren/core';
import type { RawPublishOptions } from './options';

/** @internal Where a message is sent: its own exchange and key, or the delay ladder's with its origin in headers. */
export interface Destination {
  readonly exchange: string;
  readonly routingKey: string;
  readonly options: RawPublishOptions | undefined;
}

/**
 * @internal Routes a message with `delay` or `notBefore` into the delay ladder (see `@warren/core`'s `delayRoute`):
 * its exchange and key become the ladder's, and the original ones travel in `x-warren-original-exchange` and
 * `x-warren-original-routing-key`, which the consumer reports as the message's exchange and routing key. A message
 * due now (delay 0, or a `notBefore` in the past) goes straight to its exchange.
 * An `InvalidDelayError` (`INVALID_DELAY`), returned, for a bad delay, both options, `expiration`, or a delay past
 * the maximum.
 */
export function scheduleDestination(
  exchange: string,
  routingKey: string,
  options: RawPublishOptions | undefined,
  now: number,
): Destination | InvalidDelayError {
  try {
    return destinationOf(exchange, routingKey, options, now);
  } catch (error) {
    if (error instanceof InvalidDelayError) return error;
    throw error;
  }
}

/** @internal The options ask for a delay (`delay` or `notBefore`): only then is `scheduleDestination` needed. */
export function isScheduled(options: RawPublishOptions): boolean {
  return options.delay !== undefined || options.notBefore !== undefined;
}

function destinationOf(
  exchange: string,
  routingKey: string,
  options: RawPublishOptions | undefined,
  now: number,
): Destination {
  const delayMs = requestedDelay(options, now);
  const route = delayMs === undefined ? undefined : delayRoute(delayMs, exchange, routingKey);
  if (route === undefined) return { exchange, routingKey, options };
  if (options?.expiration !== undefined)
    throw new InvalidDelayError('A scheduled message cannot have `expiration`: it would expire in the delay ladder.');
  const headers = {
    ...options?.headers,
    [HEADERS.originalExchange]: exchange,
    [HEADERS.originalRoutingKey]: routingKey,
  };
  return { exchange: route.exchange, routingKey: route.routingKey, options: { ...options, headers } };
}

function requestedDelay(options: RawPublishOptions | undefined, now: number): number | undefined {
  const { delay, notBefore } = options ?? {};
  if (delay !== undefined && notBefore !== undefined)
    throw new InvalidDelayError('Give `delay` or `notBefore`, not both.');
  if (delay !== undefined) return parseDelayOption(delay);
  if (notBefore === undefined) return undefined;
  if (!(notBefore instanceof Date) || Number.isNaN(notBefore.getTime()))
    throw new InvalidDelayError(`notBefore must be a valid Date, got ${String(notBefore)}.`);
  return notBefore.getTime() - now;
}
