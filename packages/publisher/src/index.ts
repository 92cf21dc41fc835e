export { createPublisher } from './createPublisher';
export { Publisher } from './Publisher';
export type { PublisherState, PublisherEvents, ReturnedMessage } from './Publisher';
export type { PublisherOptions, PublishOptions, RawPublishOptions, PublisherCloseOptions } from './options';
export { retryOnBackPressure } from './retryOnBackPressure';
export type { RetryOnBackPressureOptions } from './retryOnBackPressure';
export type { PublishResult } from './Outbound';
export {
  ValidationError,
  UnroutableError,
  BackPressureError,
  BrokerBusyError,
  BufferFullError,
  BlockedError,
  PublishTimeoutError,
  MessageTooLargeError,
  ExchangeNotFoundError,
  PublisherClosedError,
} from './errors';
export type { ValidationIssue } from '@warren/core';
export { ConnectionConfigError } from '@warren/core';
