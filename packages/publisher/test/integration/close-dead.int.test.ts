import { startFaultProxy, useBroker } from '@warren/testing';
import { PublisherClosedError } from '../../src';
import { openPublisher, sleep, watchForStrayErrors } from './helpers';

const broker = useBroker();
const stray = watchForStrayErrors();

describe('publisher close() on a dead network', () => {
  it('settles within its timeoutMs plus one bounded step when the connection is black-holed', async () => {
    const proxy = await startFaultProxy({ target: broker.amqpUrl });
    broker.teardown(() => proxy.close());
    const publisher = openPublisher(broker, stray, { urls: proxy.url, heartbeatSeconds: 1, reconnectSeconds: 0.2 });
    await publisher.publishRaw('amq.direct', 'k', { before: true }, { mandatory: false });

    proxy.blackhole();
    const lost = publisher.publishRaw('amq.direct', 'k', { during: true }, { mandatory: false, timeoutMs: 60_000 });
    lost.catch(() => undefined);
    // Long enough for the heartbeat to declare the connection dead and a reconnect to hang in the black hole.
    await sleep(4_000);

    const started = Date.now();
    const closed = publisher.close({ timeoutMs: 1_000 }).then(() => Date.now() - started);
    const outcome = await Promise.race([closed, sleep(15_000).then(() => 'still pending after 15 s')]);
    expect(outcome).toBeLessThan(1_000 + 5_000 + 1_000);
    await expect(lost).rejects.toBeInstanceOf(PublisherClosedError);
  }, 30_000);

  it('settles on time when the connection dies while closing', async () => {
    const proxy = await startFaultProxy({ target: broker.amqpUrl });
    broker.teardown(() => proxy.close());
    const publisher = openPublisher(broker, stray, { urls: proxy.url, heartbeatSeconds: 1, reconnectSeconds: 0.2 });
    await publisher.publishRaw('amq.direct', 'k', { before: true }, { mandatory: false });

    proxy.blackhole();
    const lost = publisher.publishRaw('amq.direct', 'k', { during: true }, { mandatory: false, timeoutMs: 60_000 });
    lost.catch(() => undefined);
    const started = Date.now();
    const closed = publisher.close({ timeoutMs: 500 }).then(() => Date.now() - started);
    const outcome = await Promise.race([closed, sleep(15_000).then(() => 'still pending after 15 s')]);
    expect(outcome).toBeLessThan(500 + 5_000 + 1_000);
    await expect(lost).rejects.toBeInstanceOf(PublisherClosedError);
  }, 30_000);
});
