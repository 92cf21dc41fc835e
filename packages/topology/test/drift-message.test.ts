import { TopologyDriftError } from '../src';
import type { TopologyPlan } from '../src';

const plan = {
  vhost: '/',
  brokerVersion: '3.10.8',
  items: [
    {
      kind: 'queue',
      name: 'orders',
      action: 'drift',
      differences: [{ property: 'type', live: 'classic', wanted: 'quorum' }],
    },
  ],
  extra: [],
  hasChanges: true,
  hasDrift: true,
  counts: { create: 0, unchanged: 0, update: 0, delete: 0, drift: 1 },
} as unknown as TopologyPlan;

describe('the drift error', () => {
  const { message } = new TopologyDriftError(plan);

  it('names the object and the difference', () => {
    expect(message).toContain('queue \'orders\':\n    type: live "classic", wanted "quorum"');
  });

  it('offers a way out with tools that exist', () => {
    expect(message).not.toMatch(/warren replay/); // there is no such command (`warren dlq replay` drains a DLQ only)
    expect(message).toMatch(/shovel \(the rabbitmq_shovel plugin/);
  });
});
