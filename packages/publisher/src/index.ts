export { createPublisher } from './createPublisher';
export { Publisher } from './Publisher';
export type { PublisherState, PublisherEvents, ReturnedMessage } from './Publisher';
export type { PublisherOptions, PublishOptions, RawPublishOptions } from './options';
export type { PublishResult } from './Outbound';
export {
  ValidationError,
  UnroutableError,
  BackPressureError,
  BrokerBusyError,
  BufferFullError,
  BlockedError,
  PublishTimeoutError,
  NotSentError,
  MessageTooLargeError,
  ExchangeNotFoundError,
  PublisherClosedError,
} from './errors';
export type { ValidationIssue } from '@warren/core';
export { ConnectionConfigError } from '@warren/core';
