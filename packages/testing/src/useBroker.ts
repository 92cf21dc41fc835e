import { vhostOf } from '@warren/core';
import { startBroker, type StartBrokerOptions } from './startBroker';
import type { BrokerSource, TestBroker } from './TestBroker';
import { TestManagementClient } from './TestManagementClient';

/** The broker of a test file; its fields can be read once `beforeAll` has run. */
export interface BrokerHandle {
  readonly amqpUrl: string;
  readonly managementUrl: string;
  /** The vhost of `amqpUrl` (`/` by default). */
  readonly vhost: string;
  readonly source: BrokerSource;
  /** A management client for the broker's vhost. */
  readonly management: TestManagementClient;
  /** Registers a cleanup for `afterAll`; cleanups run last-registered first, all of them, before the broker stops. */
  teardown(cleanup: () => Promise<unknown>): void;
  /** Deletes the queue in `afterAll` (if it exists then); returns the name. */
  trackQueue(name: string): string;
  /** Deletes the exchange in `afterAll` (if it exists then); returns the name. */
  trackExchange(name: string): string;
}

/**
 * Call at the top of a test file: resolves the broker in `beforeAll` (see `startBroker`; cheap when the jest global
 * setup already did it); in `afterAll` runs the registered cleanups, then stops a container it started. A missing
 * broker fails the file's tests with a message saying how to provide one; they are never skipped.
 * @example
 * const broker = useBroker();
 * const queue = broker.trackQueue(uniqueName('orders'));
 * it('publishes', async () => { const connection = await connect(broker.amqpUrl); ... });
 */
export function useBroker(options: StartBrokerOptions = {}): BrokerHandle {
  let broker: TestBroker | undefined;
  let management: TestManagementClient | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    broker = await startBroker(options);
  }, 180_000);
  afterAll(async () => {
    const failures = await runAll(broker ? cleanups.reverse() : []);
    await broker?.stop();
    if (failures.length > 0) throw new AggregateError(failures, 'useBroker(): a test cleanup failed');
  });
  const ready = (): TestBroker => {
    if (!broker) throw new Error('useBroker(): the broker is available inside tests and hooks, after beforeAll.');
    return broker;
  };
  const handle: BrokerHandle = {
    get amqpUrl() {
      return ready().amqpUrl;
    },
    get managementUrl() {
      return ready().managementUrl;
    },
    get vhost() {
      return vhostOf(ready().amqpUrl);
    },
    get source() {
      return ready().source;
    },
    get management() {
      management ??= new TestManagementClient(ready().managementUrl, vhostOf(ready().amqpUrl));
      return management;
    },
    teardown: (cleanup) => void cleanups.push(cleanup),
    trackQueue: (name) => {
      handle.teardown(() => handle.management.deleteQueue(name));
      return name;
    },
    trackExchange: (name) => {
      handle.teardown(() => handle.management.deleteExchange(name));
      return name;
    },
  };
  return handle;
}

/** Runs every cleanup, one after another, and returns the errors instead of stopping at the first. */
async function runAll(cleanups: (() => Promise<unknown>)[]): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (const cleanup of cleanups) await cleanup().catch((error: unknown) => failures.push(error));
  return failures;
}
