export {
  retryQueueName,
  deadLetterExchangeName,
  deadLetterQueueName,
  policyName,
  policyPattern,
  policyPatternQueues,
  POLICY_PREFIX,
  POLICY_PATTERN_MAX_BYTES,
  formatDelay,
  parseDelay,
} from './model/names';
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
} from './model/desired';
export { topologySchema, defineTopology } from './model/schema';
export { nextTick, nextTicks, previousTicks } from './model/schedule-times';
export type { ScheduleTiming } from './model/schedule-times';
export type { ScheduleDefinition } from './model/schedule-schema';
export { DEFAULT_SCHEDULER_LEASE_QUEUE } from './model/schedule-schema';
export { schedulesStatus, summariseSchedules } from './live/schedules-status';
export type { SchedulesStatus, ScheduleSummary, SchedulerLease } from './live/schedules-status';
export type {
  Topology,
  TopologyInput,
  QueueDefinition,
  ExchangeDefinition,
  BindingDefinition,
  QueueLimits,
} from './model/schema';
export { parseTopology } from './file/parse';
export type { ParseTopologyOptions } from './file/parse';
export { loadTopologyFile, parseTopologyText, TopologyFileError } from './file/load';
export { TopologyValidationError, formatIssue } from './file/validation-error';
export type { TopologyIssue } from './file/validation-error';
export { deriveTopology, DEFAULT_DELIVERY_LIMIT } from './model/derive';
export { POLICY_PRIORITY, policyOfQueue } from './model/policy-groups';
export { workQueueLayout, UnknownQueueError } from './model/layout';
export { normaliseArguments } from './model/arguments';
export { lintTopology } from './file/lint';
export { checkContracts } from './file/contract-check';
export type { LintWarning, LintCode } from './file/lint';
export { ManagementClient, ManagementApiError } from './live/management';
export type { LiveQueue, LiveExchange, LiveBinding, LivePolicy, ManagementClientOptions } from './live/management';
export { listDeadLetters, replayDeadLetters, purgeDeadLetters } from './dead-letters/operations';
export { DeadLetterError } from './dead-letters/errors';
export type {
  ListDeadLettersOptions,
  ReplayDeadLettersOptions,
  DeadLetterListing,
  ReplayResult,
  ReplayProgress,
  PurgeResult,
} from './dead-letters/operations';
export type { DeadLetterOptions } from './dead-letters/session';
export type { ParkedMessage, DeathRecord } from './dead-letters/parked';
export { planTopology } from './live/plan';
export type { PlanOptions } from './live/plan';
export { applyTopology } from './live/apply';
export type { ApplyOptions, ApplyResult, ApplyProgress } from './live/apply';
export { deleteTopology } from './live/delete';
export { exportTopology } from './live/export';
export type { ExportFilter } from './live/export';
export { topologyStatus } from './live/status';
export type { TopologyStatus, WorkQueueStatus, QueueCounts } from './live/status';
export { queueVerdict } from './live/queue-verdict';
export type { QueueVerdict, QueueActivity } from './live/queue-verdict';
export { diffTopology } from './live/diff';
export { policyApplyTo } from './live/policy-body';
export { readLiveTopology } from './live/read';
export type { LiveTopology } from './live/read';
export type { TopologyTarget } from './live/target';
export type { TopologyPlan, PlanItem, PlanAction, ObjectKind, PropertyDiff, ExtraObject } from './live/plan-types';
export { TopologyDriftError, BrokerRefusedError } from './live/errors';
