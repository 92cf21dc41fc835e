export { createPublisher } from './createPublisher';
export { Publisher } from './Publisher';
export type { PublisherState, PublisherEvents, ReturnedMessage } from './PublisherEvents';
export type { PublisherOptions, PublishOptions, RawPublishOptions, PublisherCloseOptions } from './options';
export { retryOnBackPressure } from './retryOnBackPressure';
export type { RetryOnBackPressureOptions } from './retryOnBackPressure';
export type { PublishResult } from './Outbound';
export type { RequestOptions, LateReplyEvent } from './Requester';
export { RequestTimeoutError, RemoteError, ReplyChannelLostError, InvalidReplyError } from './requestErrors';
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
export { InvalidDelayError, MAX_DELAY_MS } from '@warren/core';
export type { LoggerLike, Health, HealthStatus, HealthReason, HealthReasonCode } from '@warren/core';
