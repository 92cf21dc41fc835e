export { createScheduler } from './createScheduler';
export { Scheduler } from './Scheduler';
export type { SchedulerEvents, TickEvent, ScheduleStatus } from './Scheduler';
export { DEFAULT_LEASE_QUEUE } from './options';
export type { SchedulerOptions, PayloadFactory, TickContext } from './options';
