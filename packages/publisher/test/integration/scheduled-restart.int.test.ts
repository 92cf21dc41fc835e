import { connect } from 'amqplib';
import { startPrivateBroker, uniqueName, waitFor, type PrivateBroker } from '@warren/testing';
import { openPublisher, watchForStrayErrors } from './helpers';
import { applyIn, collect, type LadderBroker } from './ladder-helpers';

// A restart happens only on a broker of our own, never the shared one.
let privateBroker: PrivateBroker;
const cleanups: (() => Promise<unknown>)[] = [];
const stray = watchForStrayErrors();
const broker: LadderBroker = {
  get amqpUrl() {
    return privateBroker.amqpUrl;
  },
  get managementUrl() {
    return privateBroker.managementUrl;
  },
  name: '/',
  teardown: (cleanup) => void cleanups.push(cleanup),
};
beforeAll(async () => {
  privateBroker = await startPrivateBroker();
}, 180_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await privateBroker?.stop();
}, 60_000);

const exchange = uniqueName('sched-restart');
const queue = uniqueName('sched-restart-q');
applyIn(broker, {
  exchanges: { [exchange]: { type: 'topic', scheduling: true } },
  queues: { [queue]: { bindings: [{ exchange, routingKey: 'reminder.#' }] } },
});

describe('scheduled delivery across a broker restart (private broker)', () => {
  it('delivers a 10 s message after the broker restarted while it waited', async () => {
    const publisher = openPublisher(broker as never, stray, { reconnectSeconds: 1 });
    const due = Date.now() + 10_000;
    await publisher.publishRaw(exchange, 'reminder.restart', { restart: true }, { delay: '10s', messageId: 'r-10' });
    await privateBroker.restart(); // the whole node (or container) stops and starts again on its data
    await waitFor('the broker to accept connections again', 60_000, () =>
      connect(broker.amqpUrl).then((connection) => connection.close().then(() => true)),
    );
    const [arrival] = await collect(broker.amqpUrl, queue, 1, 40_000);
    expect(arrival!.message.properties.messageId).toBe('r-10');
    expect(arrival!.at).toBeGreaterThanOrEqual(due);
  }, 120_000);
});
