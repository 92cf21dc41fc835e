import {
  applyTopology,
  deleteTopology,
  deriveTopology,
  parseTopology,
  type DesiredTopology,
  type TopologyInput,
} from '@warren/topology';
import type { BrokerHandle } from './useBroker';

/**
 * Applies a topology (the same input as a topology file) in `beforeAll` and deletes everything it declares —
 * queues with their messages, exchanges, Warren policies — when the file's tests are done. Name its queues and
 * exchanges with `uniqueName()` so parallel runs on one broker never meet. Returns the derived desired state
 * (what `createConsumer({ topology })` takes). Invalid input throws when the file loads.
 * @example
 * const broker = useBroker();
 * const queue = uniqueName('billing');
 * const topology = useTopology(broker, { queues: { [queue]: { type: 'quorum', retry: { delays: ['1s'] } } } });
 */
export function useTopology(broker: BrokerHandle, input: TopologyInput): DesiredTopology {
  const desired = deriveTopology(parseTopology(input));
  const target = () => ({ amqpUrl: broker.amqpUrl, managementUrl: broker.managementUrl });
  beforeAll(async () => {
    await applyTopology(desired, target());
  });
  broker.teardown(() => deleteTopology(desired, target()));
  return desired;
}
