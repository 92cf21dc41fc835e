import { randomBytes } from 'node:crypto';
import { ManagementApiError, ManagementClient } from '@warren/topology';
import { waitFor } from './waitFor';

/** A queue's counters as the management API reports them (stats lag the truth by up to ~5 s). */
export interface QueueInfo {
  name: string;
  /** Ready + unacknowledged. */
  messages: number;
  ready: number;
  unacked: number;
  consumers: number;
  /** `prefetch_count` of each consumer (0 = unlimited), in the API's order. */
  prefetch: number[];
}

/** Fields of `GET /api/connections` that tests read. */
export interface LiveConnection {
  /** The broker's name for the connection (`127.0.0.1:50412 -> 127.0.0.1:5672`); what `DELETE` takes. */
  name: string;
  /** The name the client gave (amqplib `clientProperties.connection_name`). */
  user_provided_name?: string;
  vhost: string;
  user: string;
  state?: string;
  channels?: number;
  client_properties?: Record<string, unknown>;
}

interface RawQueue {
  name: string;
  messages?: number;
  messages_ready?: number;
  messages_unacknowledged?: number;
  consumers?: number;
  consumer_details?: { prefetch_count?: number }[];
}

/**
 * The management API client with what integration tests need on top: queue counters and consumers, connections
 * by client-given name, closing one (the broker sends `320 CONNECTION_FORCED`), and waiting for a queue to fill.
 * @example
 * const api = new TestManagementClient(broker.managementUrl);
 * await api.waitForQueueMessages(queue, 3, 10_000);
 */
export class TestManagementClient extends ManagementClient {
  async queueInfo(name: string): Promise<QueueInfo> {
    const q = await this.request<RawQueue>('GET', this.path('/api/queues/{vhost}/{name}', this.vhost, name));
    return {
      name: q.name,
      messages: q.messages ?? 0,
      ready: q.messages_ready ?? 0,
      unacked: q.messages_unacknowledged ?? 0,
      consumers: q.consumers ?? 0,
      prefetch: (q.consumer_details ?? []).map((c) => c.prefetch_count ?? 0),
    };
  }

  /** Open connections in this client's vhost. New ones appear after a few seconds: see `connectionByName`. */
  connections(): Promise<LiveConnection[]> {
    return this.request('GET', this.path('/api/vhosts/{vhost}/connections', this.vhost));
  }

  /** Polls until a connection with this client-given name is listed; throws after `timeoutMs`. */
  connectionByName(name: string, timeoutMs = 15_000): Promise<LiveConnection> {
    return waitFor(`connection '${name}' to appear in the management API`, timeoutMs, async () => {
      const all = await this.connections();
      return all.find((c) => c.user_provided_name === name || c.client_properties?.connection_name === name);
    });
  }

  /**
   * Force-closes the connection with this client-given name (waits for it to be listed first). The client sees
   * `320 CONNECTION_FORCED`: amqplib emits `close`, not `error`.
   */
  async closeConnection(name: string, timeoutMs = 15_000): Promise<void> {
    const connection = await this.connectionByName(name, timeoutMs);
    await this.request('DELETE', this.path('/api/connections/{name}', connection.name));
  }

  /** Polls until the queue holds exactly `n` messages (ready + unacked); throws after `timeoutMs`. */
  waitForQueueMessages(name: string, n: number, timeoutMs = 15_000): Promise<QueueInfo> {
    return waitFor(`queue '${name}' to hold ${n} messages`, timeoutMs, async () => {
      const info = await this.queueInfo(name);
      return info.messages === n ? info : undefined;
    });
  }

  /**
   * Creates a user with every permission on this client's vhost and a random password unlike its name, so a test
   * can check that the password never shows in a log or an error. Delete it with `deleteUser`.
   */
  async createUser(name: string): Promise<{ user: string; password: string }> {
    const password = `pw-${randomBytes(12).toString('hex')}`;
    await this.request('PUT', this.path('/api/users/{user}', name), { password, tags: '' });
    const permissions = { configure: '.*', write: '.*', read: '.*' };
    await this.request('PUT', this.path('/api/permissions/{vhost}/{user}', this.vhost, name), permissions);
    return { user: name, password };
  }

  /** Deletes a user (its connections are closed by the broker); a missing one is not an error. */
  deleteUser(name: string): Promise<void> {
    return ignoreNotFound(this.request('DELETE', this.path('/api/users/{user}', name)));
  }

  /** Deletes a queue; a missing one is not an error (teardown runs whatever the test left). */
  deleteQueue(name: string): Promise<void> {
    return ignoreNotFound(this.request('DELETE', this.path('/api/queues/{vhost}/{name}', this.vhost, name)));
  }

  /** Deletes an exchange; a missing one is not an error. */
  deleteExchange(name: string): Promise<void> {
    return ignoreNotFound(this.request('DELETE', this.path('/api/exchanges/{vhost}/{name}', this.vhost, name)));
  }
}

async function ignoreNotFound(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (error) {
    if (!(error instanceof ManagementApiError && error.status === 404)) throw error;
  }
}
