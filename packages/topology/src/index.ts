export { WarrenError } from './errors';
export { redactUrl, redactText, splitUrls, managementUrlFor, vhostOf } from './url';
export { openConnection, fatalConnectError, describeError, ConnectionConfigError } from './connection';
export type { ConnectionOptions } from './connection';
export { defineContract } from './contract';
export type { MessageContract, PayloadOf, ParsedPayloadOf } from './contract';
export {
  retryQueueName,
  deadLetterExchangeName,
  deadLetterQueueName,
  policyName,
  policyPattern,
  policyPatternQueues,
  POLICY_PREFIX,
  POLICY_PATTERN_MAX_BYTES,
  HEADERS,
  formatDelay,
  parseDelay,
} from './names';
export type {
  DesiredTopology,
  ExchangeSpec,
  QueueSpec,
  BindingSpec,
  PolicySpec,
  WorkQueueLayout,
  RetryTier,
  QueueType,
  ExchangeType,
  QueueRole,
  ArgumentValue,
} from './desired';
export { topologySchema, defineTopology } from './schema';
export type {
  Topology,
  TopologyInput,
  QueueDefinition,
  ExchangeDefinition,
  BindingDefinition,
  QueueLimits,
} from './schema';
export { parseTopology } from './parse';
export type { ParseTopologyOptions } from './parse';
export { loadTopologyFile, parseTopologyText, TopologyFileError } from './load';
export { TopologyValidationError, formatIssue } from './validation-error';
export type { TopologyIssue } from './validation-error';
export { deriveTopology, DEFAULT_DELIVERY_LIMIT } from './derive';
export { POLICY_PRIORITY, policyOfQueue } from './policy-groups';
export { workQueueLayout, UnknownQueueError } from './layout';
export { normaliseArguments } from './arguments';
export { lintTopology } from './lint';
export { checkContracts } from './contract-check';
export type { LintWarning, LintCode } from './lint';
export { ManagementClient, ManagementApiError } from './management';
export type { LiveQueue, LiveExchange, LiveBinding, LivePolicy } from './management';
export { listDeadLetters, replayDeadLetters, purgeDeadLetters, DeadLetterError } from './dead-letters';
export type {
  DeadLetterOptions,
  ListDeadLettersOptions,
  ReplayDeadLettersOptions,
  DeadLetterListing,
  ParkedMessage,
  DeathRecord,
  ReplayResult,
  PurgeResult,
} from './dead-letters';
export { planTopology } from './plan';
export type { PlanOptions } from './plan';
export { applyTopology } from './apply';
export type { ApplyOptions, ApplyResult } from './apply';
export { deleteTopology } from './delete';
export { exportTopology } from './export';
export { diffTopology, policyApplyTo } from './diff';
export { readLiveTopology } from './live';
export type { LiveTopology } from './live';
export type { TopologyTarget } from './target';
export type { TopologyPlan, PlanItem, PlanAction, ObjectKind, PropertyDiff, ExtraObject } from './plan-types';
export { TopologyDriftError, BrokerRefusedError } from './topology-errors';
