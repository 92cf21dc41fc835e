import { vhostOf } from '@warren/topology';
import { startBroker, type BrokerSource, type StartBrokerOptions, type TestBroker } from './startBroker';
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
}

/**
 * Call at the top of a test file: resolves the broker in `beforeAll` (see `startBroker`; cheap when the jest global
 * setup already did it) and stops a container it started in `afterAll`. A missing broker fails the file's tests
 * with a message saying how to provide one; they are never skipped.
 * @example
 * const broker = useBroker();
 * it('publishes', async () => { const connection = await connect(broker.amqpUrl); ... });
 */
export function useBroker(options: StartBrokerOptions = {}): BrokerHandle {
  let broker: TestBroker | undefined;
  let management: TestManagementClient | undefined;
  beforeAll(async () => {
    broker = await startBroker(options);
  }, 180_000);
  afterAll(async () => {
    await broker?.stop();
  });
  const ready = (): TestBroker => {
    if (!broker) throw new Error('useBroker(): the broker is available inside tests and hooks, after beforeAll.');
    return broker;
  };
  return {
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
  };
}
