/**
 * What a health check reports: `ok` (nothing to say), `degraded` (working, impaired, recovering by itself: a
 * reconnect, a blocked broker, a filling buffer, a paused or re-subscribing consumer) or `failing` (not doing its
 * job until something changes: a fatal connection error, a closed runtime, a full buffer, a missing queue, a stalled
 * consumer).
 */
export type HealthStatus = 'ok' | 'degraded' | 'failing';

/** The stable codes of `HealthReason`; the status each one implies is in `HEALTH_SEVERITY`. */
export type HealthReasonCode =
  | 'connecting'
  | 'disconnected'
  | 'blocked'
  | 'buffer-filling'
  | 'buffer-full'
  | 'failed'
  | 'closed'
  | 'subscribing'
  | 'paused'
  | 'queue-missing'
  | 'stalled'
  | 'stall-unverified';

/** One reason a runtime is not `ok`: a stable `code`, a message for people, and the queue it is about (if any). */
export interface HealthReason {
  readonly code: HealthReasonCode;
  readonly message: string;
  readonly queue?: string;
}

/** `publisher.health()`, `consumer.health()`: the worst status of the reasons, `ok` when there is none. */
export interface Health {
  readonly status: HealthStatus;
  readonly reasons: readonly HealthReason[];
}

/** The status each reason implies. */
export const HEALTH_SEVERITY: Readonly<Record<HealthReasonCode, Exclude<HealthStatus, 'ok'>>> = {
  connecting: 'degraded',
  disconnected: 'degraded',
  blocked: 'degraded',
  'buffer-filling': 'degraded',
  subscribing: 'degraded',
  paused: 'degraded',
  'stall-unverified': 'degraded',
  'buffer-full': 'failing',
  failed: 'failing',
  closed: 'failing',
  'queue-missing': 'failing',
  stalled: 'failing',
};

/** The verdict over a list of reasons: `failing` if any reason is, else `degraded` if any, else `ok`. */
export function healthOf(reasons: readonly HealthReason[]): Health {
  const severities = reasons.map((reason) => HEALTH_SEVERITY[reason.code]);
  const status = severities.includes('failing') ? 'failing' : severities.length > 0 ? 'degraded' : 'ok';
  return { status, reasons };
}
