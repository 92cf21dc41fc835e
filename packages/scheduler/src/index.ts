export { createScheduler } from './createScheduler';
export { Scheduler } from './Scheduler';
export type { SchedulerEvents, TickEvent, ScheduleStatus } from './Scheduler';
export type { SchedulerOptions, PayloadFactory, TickContext } from './options';
export type { TickPublisher, TickPublishOptions } from './TickPublisher';
