/** Where the broker came from: `AMQP_URL`, the local default port, or a container started for the tests. */
export type BrokerSource = 'env' | 'local' | 'container';

/** A broker for tests. `stop()` stops a container this process started and does nothing otherwise. */
export interface TestBroker {
  readonly amqpUrl: string;
  readonly managementUrl: string;
  readonly source: BrokerSource;
  /** The image, when `source` is `'container'`. */
  readonly image?: string;
  stop(): Promise<void>;
}
