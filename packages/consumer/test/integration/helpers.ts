import { connect, type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import {
  applyTopology,
  deleteTopology,
  deriveTopology,
  parseTopology,
  type DesiredTopology,
  type TopologyInput,
} from '@warren/topology';
import type { BrokerHandle } from '@warren/testing';
import { createConsumer, type Consumer, type ConsumerOptions } from '../../src';

/**
 * Per test file: declares topologies (deleted after the file), opens consumers and a raw amqplib connection
 * (closed after each test / the file). Names must come from `uniqueName`: every engineer's tests share the broker.
 */
export function useConsumerFixtures(broker: BrokerHandle) {
  const topologies: DesiredTopology[] = [];
  const consumers: Consumer[] = [];
  let connection: ChannelModel | undefined;
  let channel: ConfirmChannel | undefined;

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.close({ timeoutMs: 0 })));
  });
  afterAll(async () => {
    await connection?.close().catch(() => undefined);
    for (const desired of topologies.splice(0)) await deleteTopology(desired, target(broker));
  });

  async function raw(): Promise<ConfirmChannel> {
    if (channel) return channel;
    connection = await connect(broker.amqpUrl);
    connection.on('error', () => undefined);
    channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    return channel;
  }

  return {
    /** Parses, derives and applies a topology; it is deleted after the file. */
    async declare(input: TopologyInput): Promise<DesiredTopology> {
      const desired = deriveTopology(parseTopology(input));
      topologies.push(desired);
      await applyTopology(desired, target(broker));
      return desired;
    },
    consumer(topology: DesiredTopology, options: Partial<ConsumerOptions> = {}): Consumer {
      const consumer = createConsumer({ urls: broker.amqpUrl, topology, retryDelayMs: 100, ...options });
      consumers.push(consumer);
      return consumer;
    },
    /** Publishes with confirms through a plain amqplib channel (JSON unless `body` is a Buffer). */
    async publish(exchange: string, routingKey: string, body: unknown, options: Options.Publish = {}): Promise<void> {
      const ch = await raw();
      const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      ch.publish(exchange, routingKey, content, { contentType: 'application/json', persistent: true, ...options });
      await ch.waitForConfirms();
    },
    /** Exact ready-message count (no management stats lag). */
    async depth(queue: string): Promise<number> {
      return (await (await raw()).checkQueue(queue)).messageCount;
    },
    /** Takes every ready message of a queue (acked). */
    async drain(queue: string) {
      const ch = await raw();
      const messages = [];
      for (let m = await ch.get(queue); m !== false; m = await ch.get(queue)) {
        ch.ack(m);
        messages.push(m);
      }
      return messages;
    },
  };
}

export function target(broker: BrokerHandle) {
  return { amqpUrl: broker.amqpUrl, managementUrl: broker.managementUrl };
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });

/** Resolves once `predicate` holds, polling every 20 ms; rejects after `timeoutMs`. */
export async function until(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}
