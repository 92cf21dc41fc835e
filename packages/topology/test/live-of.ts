import type { DesiredTopology } from '../src/model/desired';
import { policyBody } from '../src/live/policy-body';
import { policiesForBroker } from '../src/live/policies-for-broker';
import type { LiveBinding, LiveExchange, LivePolicy, LiveQueue } from '../src/live/management';

/** The live state (as the management API reports it) that apply leaves behind for `desired` on RabbitMQ `version`. */
export function liveOf(desired: DesiredTopology, version = '3.10.8') {
  return {
    brokerVersion: version,
    exchanges: desired.exchanges.map((e): LiveExchange => ({
      name: e.name,
      vhost: '/',
      type: e.type,
      durable: e.durable,
      auto_delete: e.autoDelete,
      internal: e.internal,
      arguments: { ...e.arguments },
    })),
    queues: desired.queues.map((q): LiveQueue => ({
      name: q.name,
      vhost: '/',
      type: q.type,
      durable: q.durable,
      auto_delete: q.autoDelete,
      arguments: { ...q.arguments },
    })),
    bindings: desired.bindings.map((b): LiveBinding => ({
      source: b.source,
      vhost: '/',
      destination: b.destination,
      destination_type: b.destinationType,
      routing_key: b.routingKey,
      arguments: { ...b.arguments },
      properties_key: b.routingKey,
    })),
    policies: policiesForBroker(desired, version).policies.map((p): LivePolicy => ({
      ...policyBody(p, version),
      vhost: '/',
    })),
  };
}
