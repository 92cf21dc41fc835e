import { RESOLVED_ENV, startBroker } from './startBroker';
import type { TestBroker } from './TestBroker';

/** Where the global teardown finds the container (jest runs setup and teardown in the same process). */
export const BROKER_GLOBAL = Symbol.for('warren.testing.broker');

/**
 * A jest `globalSetup` for integration tests: resolves the broker ONCE per run (starting at most one container) and
 * hands it to every test file through `AMQP_URL`, `AMQP_MANAGEMENT_URL` and `WARREN_TEST_BROKER_RESOLVED`, which
 * `useBroker()` then just reads. Without a broker it fails the run with one message saying how to provide one.
 * Pair it with `jestGlobalTeardown`, which stops the container.
 */
export default async function jestGlobalSetup(): Promise<void> {
  if (process.env[RESOLVED_ENV]) return;
  const broker = await startBroker();
  (globalThis as Record<symbol, TestBroker>)[BROKER_GLOBAL] = broker;
  process.env.AMQP_URL = broker.amqpUrl;
  process.env.AMQP_MANAGEMENT_URL = broker.managementUrl;
  process.env[RESOLVED_ENV] = broker.source;
}
