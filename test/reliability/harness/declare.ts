import {
  applyTopology,
  deriveTopology,
  parseTopology,
  type DesiredTopology,
  type TopologyInput,
} from '@warren/topology';

/** Parses, derives and applies a topology on a private broker (deleted with the broker). */
export async function declare(
  target: { amqpUrl: string; managementUrl: string },
  input: TopologyInput,
): Promise<DesiredTopology> {
  const desired = deriveTopology(parseTopology(input));
  await applyTopology(desired, target);
  return desired;
}
