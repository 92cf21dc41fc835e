import type { DesiredTopology, PolicySpec } from '../model/desired';
import { NO_DELIVERY_LIMIT } from '../model/dead-letter-policy';

/**
 * The desired topology as a broker of this version takes it: before RabbitMQ 4.0 a policy cannot say "no delivery
 * limit" (3.x refuses `delivery-limit: -1`), and needs not (3.x sets no default limit), so that key is left out and a
 * policy left empty is not wanted at all. A later upgrade to 4.x then shows the missing policies in `warren plan`.
 */
export function policiesForBroker(desired: DesiredTopology, brokerVersion: string): DesiredTopology {
  if (major(brokerVersion) >= 4) return desired;
  const policies = desired.policies.map(withoutNoLimit).filter((p) => Object.keys(p.definition).length > 0);
  return { ...desired, policies };
}

function withoutNoLimit(policy: PolicySpec): PolicySpec {
  if (policy.definition['delivery-limit'] !== NO_DELIVERY_LIMIT) return policy;
  const { 'delivery-limit': _unlimited, ...definition } = policy.definition;
  return { ...policy, definition };
}

const major = (version: string): number => Number.parseInt(version, 10) || 0;
