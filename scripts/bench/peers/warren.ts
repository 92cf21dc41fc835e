/**
 * Warren (see harness.ts): `publish` of a zod contract (JSON encoding and validation per message), or with `--raw`
 * `publishRaw` of the Buffer, both resolving on the broker's confirm; the consumer runs the contract too (JSON decode
 * and schema validation), acking when the handler resolves.
 */
import { z } from 'zod';
import { defineContract } from '@warren/core';
import { createConsumer } from '@warren/consumer';
import { createPublisher } from '@warren/publisher';
import { deriveTopology, parseTopology } from '@warren/topology';
import { AMQP_URL, runPeer, type Payload, type Peer } from './harness';

const schema = z.object({ t: z.number(), id: z.string(), note: z.string() });
/** The Buffer is JSON already: said so, the consumer's contract decodes it (a Buffer is sent as octet-stream). */
const JSON_BODY = { contentType: 'application/json' };
const contractFor = (queue: string) => defineContract({ exchange: '', routingKey: queue, queue, schema });

function connected(emitter: { once(event: 'connected', listener: () => void): unknown }): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Not connected after 10 s.')), 10_000);
    emitter.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function warrenPeer(flags: string[]): Peer {
  const raw = flags.includes('--raw');
  return {
    publisher: async (queue) => {
      const publisher = createPublisher({ urls: AMQP_URL, name: 'warren-bench-peers' });
      await connected(publisher);
      const contract = contractFor(queue);
      return {
        publish: raw
          ? ({ body }) => publisher.publishRaw('', queue, body, JSON_BODY)
          : ({ payload }) => publisher.publish(contract, payload),
        close: () => publisher.close(),
      };
    },
    consumer: async (queue) => {
      const topology = deriveTopology(parseTopology({ queues: { [queue]: { type: 'classic' } } }));
      const consumer = createConsumer({ urls: AMQP_URL, name: 'warren-bench-peers', topology });
      await connected(consumer);
      return {
        consume: (_, prefetch, onMessage) =>
          consumer.consume(
            contractFor(queue),
            async (payload: Payload) => {
              onMessage(payload);
            },
            { prefetch },
          ),
        close: () => consumer.close(),
      };
    },
  };
}

runPeer(warrenPeer);
