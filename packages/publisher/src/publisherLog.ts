import type { EventEmitter } from 'node:events';
import { componentLogger, type LoggerLike } from '@warren/core';
import type { PublisherEvents } from './PublisherEvents';

/**
 * @internal Writes the publisher's life to `logger`: connection (connected info; disconnected, connect failed warn;
 * failed error; a channel the broker closed: warn), back-pressure transitions (blocked, buffer full: warn; unblocked, buffer freed: info) and
 * dropped late replies (debug). Never one line per message sent. URLs and reasons arrive password-free.
 */
export function logPublisher(publisher: EventEmitter<PublisherEvents>, logger: LoggerLike, name?: string): void {
  const log = componentLogger(
    logger,
    name === undefined ? { component: 'warren-publisher' } : { component: 'warren-publisher', connection: name },
  );
  publisher.on('connected', ({ url }) => log.info({ url }, 'connected'));
  publisher.on('disconnected', ({ reason }) => log.warn({ reason }, 'disconnected; reconnecting'));
  publisher.on('connectFailed', ({ url, reason }) => log.warn({ url, reason }, 'connect attempt failed; retrying'));
  publisher.on('failed', (error) =>
    log.error({ code: error.code, reason: error.message }, 'connection failed for good'),
  );
  publisher.on('blocked', ({ reason }) => log.warn({ reason }, 'the broker blocked publishing'));
  publisher.on('unblocked', () => log.info({}, 'the broker unblocked publishing'));
  publisher.on('bufferFull', ({ full, messages, bytes }) =>
    full
      ? log.warn({ messages, bytes }, 'the publish buffer is full')
      : log.info({}, 'the publish buffer has room again'),
  );
  publisher.on('channelClosed', ({ reason }) => log.warn({ reason }, 'the broker closed the channel; reopening it'));
  publisher.on('lateReply', ({ correlationId }) => log.debug({ correlationId }, 'late reply dropped'));
}
