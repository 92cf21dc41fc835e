import type { EventEmitter } from 'node:events';
import { componentLogger, describeError, type LoggerLike } from '@warren/core';
import type { SchedulerEvents } from './Scheduler';

/**
 * @internal Writes the scheduler's life to `logger`: the lease (leading info, following warn), the lease
 * connection (connected info, disconnected warn, failed error), ticks (debug), skipped and failed ticks and warnings
 * (warn). Error texts are password-masked (`describeError`).
 */
export function logScheduler(scheduler: EventEmitter<SchedulerEvents>, logger: LoggerLike, name?: string): void {
  const log = componentLogger(logger, {
    component: 'warren-scheduler',
    ...(name === undefined ? {} : { connection: name }),
  });
  scheduler.on('connected', ({ url }) => log.info({ url }, 'connected'));
  scheduler.on('disconnected', ({ reason }) => log.warn({ reason }, 'disconnected; reconnecting'));
  scheduler.on('failed', (error) =>
    log.error({ code: error.code, reason: error.message }, 'connection failed for good'),
  );
  scheduler.on('leading', () => log.info({}, 'took the lease: firing the ticks'));
  scheduler.on('following', ({ reason }) => log.warn({ reason }, 'following: another replica fires the ticks'));
  scheduler.on('tick', ({ schedule, messageId, lateMs }) =>
    log.debug({ schedule, messageId, lateMs }, 'tick published'),
  );
  scheduler.on('skipped', ({ schedule, count }) => log.warn({ schedule, count }, 'missed ticks skipped'));
  scheduler.on('tickFailed', ({ schedule, messageId, error }) =>
    log.warn({ schedule, messageId, reason: describeError(error) }, 'tick not published'),
  );
  scheduler.on('warning', ({ message, error }) => log.warn({ reason: describeError(error) }, message));
}
