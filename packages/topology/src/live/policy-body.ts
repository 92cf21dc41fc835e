import type { PolicySpec, QueueType } from '../model/desired';
import type { LivePolicy } from './management';

/** `apply-to` of a Warren policy: RabbitMQ < 3.12 accepts only `queues`; 3.12+ lets a policy target one queue type. */
export function policyApplyTo(brokerVersion: string, queueType: QueueType): string {
  const [major = 0, minor = 0] = brokerVersion.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return major > 3 || (major === 3 && minor >= 12) ? `${queueType}_queues` : 'queues';
}

/** The body `PUT /api/policies/{vhost}/{name}` takes for a Warren policy on this broker version. */
export function policyBody(spec: PolicySpec, brokerVersion: string): Omit<LivePolicy, 'vhost'> {
  return {
    name: spec.name,
    pattern: spec.pattern,
    'apply-to': policyApplyTo(brokerVersion, spec.queueType),
    priority: spec.priority,
    definition: { ...spec.definition },
  };
}
