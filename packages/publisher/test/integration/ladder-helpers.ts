import { connect, type ConsumeMessage } from 'amqplib';
import { withVhost } from '@warren/core';
import { TestManagementClient, uniqueName, useTopology, type BrokerHandle } from '@warren/testing';

/** A scheduled message as it arrived: when, and what it carried. */
export interface Arrival {
  readonly at: number;
  readonly message: ConsumeMessage;
}

export interface LadderBroker {
  readonly amqpUrl: string;
  readonly managementUrl: string;
  readonly name: string;
  readonly teardown: BrokerHandle['teardown'];
}

/**
 * A vhost of the test's own on `broker` (deleted after the file, with the ladder in it): the ladder is shared by a
 * vhost and `deleteTopology` leaves it, so a vhost is the only clean way to remove it from a shared broker.
 */
export function useOwnVhost(broker: { amqpUrl: string; managementUrl: string; teardown: BrokerHandle['teardown'] }) {
  const vhost = uniqueName('ladder');
  const api = () => new TestManagementClient(broker.managementUrl, '/');
  const path = `/api/vhosts/${encodeURIComponent(vhost)}`;
  beforeAll(async () => {
    await api().request('PUT', path, {});
    await api().request('PUT', `/api/permissions/${encodeURIComponent(vhost)}/guest`, {
      configure: '.*',
      write: '.*',
      read: '.*',
    });
  });
  broker.teardown(() => api().request('DELETE', path));
  const handle: LadderBroker = {
    get amqpUrl() {
      return withVhost(broker.amqpUrl, vhost);
    },
    get managementUrl() {
      return broker.managementUrl;
    },
    name: vhost,
    teardown: broker.teardown,
  };
  return handle;
}

/** Applies the topology in `beforeAll` in the handle's vhost (its URL's path), and deletes it after the file. */
export function applyIn(handle: LadderBroker, input: Parameters<typeof useTopology>[1]): void {
  useTopology(handle as unknown as BrokerHandle, input);
}

/** Consumes `queue` (raw amqplib) and records each delivery's arrival time until `count` have arrived. */
export async function collect(amqpUrl: string, queue: string, count: number, timeoutMs: number): Promise<Arrival[]> {
  const connection = await connect(amqpUrl);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    const arrivals: Arrival[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${arrivals.length} of ${count} arrived`)), timeoutMs);
      channel
        .consume(queue, (message) => {
          if (message === null) return;
          arrivals.push({ at: Date.now(), message });
          channel.ack(message);
          if (arrivals.length === count) {
            clearTimeout(timer);
            resolve();
          }
        })
        .catch(reject);
    });
    return arrivals;
  } finally {
    await connection.close().catch(() => undefined);
  }
}
