export { createConsumer, Consumer } from './consumer';
export type { ConsumerOptions, ConsumeOptions, CloseOptions } from './options';
export { closeOnSignals } from './signals';
export type { CloseOnSignalsOptions } from './signals';
export { NonRetryableError, ConsumerError, HandlerAbortedError } from './errors';
export type { MessageContext } from './context';
export type { Handler } from './handler';
export type { DeadLetterReason } from './decode';
export type { ConsumerStats } from './stats';
export type {
  ConsumerEvents,
  DeliveredEvent,
  AckedEvent,
  RetriedEvent,
  DeadLetteredEvent,
  RequeuedEvent,
} from './events';
