import type { EventEmitter } from 'node:events';
import { componentLogger, type LoggerLike } from '@warren/core';
import type { ConsumerEvents } from './events';

/**
 * @internal Writes the consumer's life to `logger`: connection (connected info; disconnected, connect failed warn;
 * failed error), subscriptions (subscribed info; cancelled, queue missing and channel warnings warn), retries and
 * requeues (debug) and dead-lettering (warn, with messageId, queue and reason). Never one line per message handled
 * well. URLs and reasons arrive password-free.
 */
export function logConsumer(consumer: EventEmitter<ConsumerEvents>, logger: LoggerLike, name?: string): void {
  const log = componentLogger(logger, {
    component: 'warren-consumer',
    ...(name === undefined ? {} : { connection: name }),
  });
  consumer.on('connected', ({ url }) => log.info({ url }, 'connected'));
  consumer.on('disconnected', ({ reason }) => log.warn({ reason }, 'disconnected; reconnecting'));
  consumer.on('connectFailed', ({ url, reason }) => log.warn({ url, reason }, 'connect attempt failed; retrying'));
  consumer.on('failed', (error) =>
    log.error({ code: error.code, reason: error.message }, 'connection failed for good'),
  );
  consumer.on('subscribed', ({ queue, prefetch }) => log.info({ queue, prefetch }, 'subscribed'));
  consumer.on('cancelled', ({ queue }) => log.warn({ queue }, 'the broker cancelled the subscription; re-subscribing'));
  consumer.on('queueMissing', ({ queue }) =>
    log.warn({ queue }, 'the queue is missing; re-subscribing until it is back'),
  );
  consumer.on('warning', ({ queue, message }) => log.warn({ queue }, message));
  consumer.on('retried', ({ queue, messageId, attempt, delayMs, error }) =>
    log.debug({ queue, messageId, attempt, delayMs, error }, 'handler failed; retrying later'),
  );
  consumer.on('requeued', ({ queue, messageId, why }) => log.debug({ queue, messageId, why }, 'message requeued'));
  consumer.on('deadLettered', ({ queue, messageId, attempt, reason, error }) =>
    log.warn({ queue, messageId, attempt, reason, error }, 'message dead-lettered'),
  );
}
