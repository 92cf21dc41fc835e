export { WarrenError, WARREN_CODES } from './errors';
export type { WarrenCode } from './errors';
export { openConnection, fatalConnectError, describeError, managerUrl, ConnectionConfigError } from './connection';
export type { ConnectionOptions, ConnectedEvent, DisconnectedEvent } from './connection';
export { connectOnce } from './connect-once';
export { redactUrl, redactText, splitUrls, managementUrlFor, vhostOf, withVhost } from './url';
export { defineContract, checkPayload, codecOf } from './contract';
export { checkJsonPayload } from './json-payload';
export { jsonCodec, rawCodec } from './codec';
export type { Codec, CodecProperties, CodecValue } from './codec';
export type { MessageContract, PayloadOf, ParsedPayloadOf, ValidationIssue, PayloadCheck } from './contract';
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
