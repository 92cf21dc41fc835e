import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFaultProxy, useBroker, type FaultProxy } from '@warren/testing';
import { BufferFullError, type Publisher } from '../../src';
import { countById, declareRoute, openPublisher, rawChannel, sleep, watchForStrayErrors } from './helpers';

const broker = useBroker();
const stray = watchForStrayErrors();

async function proxyToBroker(): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ target: broker.amqpUrl });
  broker.teardown(() => proxy.close());
  return proxy;
}

function waitFor(publisher: Publisher, event: 'connected' | 'disconnected'): Promise<void> {
  return new Promise((resolve) => publisher.once(event, () => resolve()));
}

/** Figures the issue asks to report (duplicates after connection cuts), kept out of the test output. */
function report(name: string, figures: Record<string, number>): void {
  const dir = join(__dirname, '../../../../.bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `publisher-${name}-${broker.source}.json`), JSON.stringify(figures, null, 2));
}

describe('publisher under network faults', () => {
  it('loses nothing when the connection is cut 5 times during 20,000 publishes', async () => {
    const channel = await rawChannel(broker);
    const { exchange, queue, routingKey } = await declareRoute(broker, channel);
    const proxy = await proxyToBroker();
    const publisher = openPublisher(broker, stray, {
      urls: proxy.url,
      reconnectSeconds: 0.2,
      timeoutMs: 60_000,
      maxBufferMessages: 20_000,
    });
    let disconnects = 0;
    publisher.on('disconnected', () => disconnects++);

    const results: Promise<unknown>[] = [];
    let cuts = 0;
    // 20 batches of 1,000, a steady flow; batches 2, 6, 10, 14 and 18 are cut off right after they were handed
    // over, while none of them can have been confirmed yet (a confirm needs a round trip).
    for (let batch = 0; batch < 20; batch++) {
      const cutThisBatch = batch % 4 === 2;
      if (cutThisBatch && publisher.state !== 'connected') await waitFor(publisher, 'connected');
      for (let i = batch * 1_000; i < (batch + 1) * 1_000; i++) {
        const result = publisher.publishRaw(exchange, routingKey, { i });
        result.catch(() => undefined); // asserted below, all at once; a failed test must not flood the log
        results.push(result);
      }
      if (cutThisBatch) {
        expect(publisher.bufferSize.messages).toBeGreaterThan(0);
        proxy.cut();
        cuts++;
      }
      await sleep(100);
    }
    expect(cuts).toBe(5);
    const settled = await Promise.allSettled(results);
    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(disconnects).toBeGreaterThanOrEqual(5);

    const { distinct, duplicates } = await countById(channel, queue, 20_000, 30_000);
    expect(distinct).toBe(20_000);
    report('cuts', { published: 20_000, cuts, distinct, duplicates });
  });

  it('fills its buffer to the cap while the broker is down, refuses the next, then delivers every accepted one', async () => {
    const channel = await rawChannel(broker);
    const { exchange, queue, routingKey } = await declareRoute(broker, channel);
    const proxy = await proxyToBroker();
    const publisher = openPublisher(broker, stray, {
      urls: proxy.url,
      reconnectSeconds: 0.2,
      timeoutMs: 60_000,
      maxBufferMessages: 500,
    });
    await publisher.publishRaw(exchange, routingKey, { i: -1 });

    const down = waitFor(publisher, 'disconnected');
    proxy.refuse();
    proxy.cut();
    await down;
    const accepted = Array.from({ length: 500 }, (_, i) => publisher.publishRaw(exchange, routingKey, { i }));
    expect(publisher.bufferSize.messages).toBe(500);
    const refused = await publisher.publishRaw(exchange, routingKey, { i: 500 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BufferFullError);
    expect(refused).toMatchObject({ code: 'BUFFER_FULL' });
    await sleep(1_000); // reconnect attempts keep failing meanwhile
    expect(publisher.state).toBe('disconnected');
    expect(publisher.bufferSize.messages).toBe(500);

    proxy.heal();
    await expect(Promise.all(accepted)).resolves.toHaveLength(500);
    expect(publisher.bufferSize).toEqual({ messages: 0, bytes: 0 });
    const { distinct } = await countById(channel, queue, 501, 15_000);
    expect(distinct).toBe(501);
  });
});
