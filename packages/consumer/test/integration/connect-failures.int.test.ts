import { createServer } from 'node:net';
import { uniqueName, useBroker } from '@warren/testing';
import type { Consumer } from '../../src';
import { useConsumerFixtures } from './helpers';

const broker = useBroker();
const fx = useConsumerFixtures(broker);

/** A port on 127.0.0.1 where nothing listens (connecting to it is refused). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
}

describe('consumer connect failures', () => {
  it('reports a refused connection loudly (connectFailed, state, lastConnectError) and keeps retrying', async () => {
    const queue = uniqueName('con-refused');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    const url = `amqp://guest:secret-pw@127.0.0.1:${await closedPort()}`;
    const consumer: Consumer = fx.consumer(topology, { urls: url, reconnectSeconds: 0.2 });
    const events: { url: string; reason: string }[] = [];
    consumer.on('connectFailed', (event) => events.push(event));
    const consuming = consumer.consume(queue, () => undefined);

    expect(await settledWithin(consuming, 2_000)).toBe(false); // transient: still retrying
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0]!.reason).toMatch(/ECONNREFUSED/);
    expect(events[0]!.url).toMatch(/^amqp:\/\/guest:\*\*\*@127\.0\.0\.1:\d+/);
    expect(JSON.stringify(events)).not.toContain('secret-pw');
    expect(consumer.state).toBe('connecting');
    expect(consumer.lastConnectError).toMatch(/ECONNREFUSED/);
  });

  it('stops with TLS_CONFIG for amqps:// to a plain port: consume() rejects, failed, state failed', async () => {
    const queue = uniqueName('con-tls');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    const url = new URL(broker.amqpUrl);
    url.protocol = 'amqps:';
    const consumer = fx.consumer(topology, { urls: url.toString() });
    const failed = new Promise((resolve) => consumer.once('failed', resolve));
    const consuming = consumer.consume(queue, () => undefined);
    expect(await settledWithin(consuming, 5_000)).toBe(true);
    const error = await consuming.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TLS_CONFIG' });
    expect((error as Error).message).toMatch(/does not speak TLS/);
    expect(await failed).toBe(error);
    expect(consumer.state).toBe('failed');
  });
});
