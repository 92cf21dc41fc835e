import { BROKER_GLOBAL } from './jestGlobalSetup';
import { RESOLVED_ENV } from './startBroker';
import type { TestBroker } from './TestBroker';

/** The jest `globalTeardown` paired with `jestGlobalSetup`: stops the container it started, if any. */
export default async function jestGlobalTeardown(): Promise<void> {
  const holder = globalThis as Record<symbol, TestBroker | undefined>;
  const broker = holder[BROKER_GLOBAL];
  if (!broker) return;
  holder[BROKER_GLOBAL] = undefined;
  delete process.env[RESOLVED_ENV];
  await broker.stop();
}
