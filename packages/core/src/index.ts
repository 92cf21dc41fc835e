export { WarrenError, WARREN_CODES } from './errors';
export type { WarrenCode } from './errors';
export {
  openConnection,
  fatalConnectError,
  describeError,
  managerUrl,
  connectFailedEvent,
  ConnectionConfigError,
  CONNECTION_OPTIONS,
} from './connection';
export type { ConnectionOptions, ConnectedEvent, DisconnectedEvent, ConnectFailedEvent } from './connection';
export { tlsSocketOptions } from './tls';
export type { TlsOptions, PemSource } from './tls';
export { connectOnce } from './connect-once';
export { bounded, closeManager, CLOSE_STEP_MS } from './bounded';
export { redactUrl, redactText, splitUrls, managementUrlFor, vhostOf, withVhost } from './url';
export { defineContract, checkPayload, codecOf } from './contract';
export { checkJsonPayload } from './json-payload';
export { jsonCodec, rawCodec } from './codec';
export type { Codec, CodecProperties, CodecValue } from './codec';
export type { MessageContract, PayloadOf, ParsedPayloadOf, ValidationIssue, PayloadCheck } from './contract';
export type { ReplyOf, ReplyInputOf } from './contract';
export { REPLY } from './reply';
export type { RemoteFailure } from './reply';
export {
  HEADERS,
  attemptOf,
  originOf,
  isFailureHeader,
  isBrokerDeathHeader,
  WARREN_DEAD_LETTER_REASONS,
  BROKER_DEAD_LETTER_REASONS,
  DEAD_LETTER_REASONS,
} from './headers';
export type { DeliveredLike } from './headers';
export {
  DELAY_LEVELS,
  MAX_DELAY_MS,
  DELAY_DELIVERY_EXCHANGE,
  delayLevelName,
  nextDelayHop,
  levelPattern,
  exchangeWord,
  deliveryPattern,
  delayRoute,
  parseDelayOption,
  InvalidDelayError,
} from './delay-ladder';
export type { DelayRoute } from './delay-ladder';
export { didYouMean, suggestion } from './did-you-mean';
export { knownOptions, unknownOption, checkOptions } from './known-options';
export type { KnownOptions } from './known-options';
export { componentLogger } from './logger';
export type { LoggerLike } from './logger';
export { healthOf, HEALTH_SEVERITY } from './health';
export type { Health, HealthStatus, HealthReason, HealthReasonCode } from './health';
export { activeOtelApi, otelApi, resetOtelApi } from './otel-api';
export type {
  OtelApi,
  OtelAttributes,
  OtelContext,
  OtelMeter,
  OtelObservable,
  OtelObservableResult,
  OtelSpan,
  OtelSpanContext,
  OtelTracer,
} from './otel-api';
export {
  SEMCONV,
  SPAN_KIND,
  SPAN_STATUS,
  DURATION_BUCKETS,
  AMQP_HEADERS_CARRIER,
  serverAttributes,
  withTraceContext,
} from './otel-conventions';
