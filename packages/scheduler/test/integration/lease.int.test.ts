// The lease under connection faults: a leader whose connection is reset steps down and another leads; a leader cut
// off by a dead network path (black hole) steps down within two fence checks (1 s each), before the broker hands the
// lease over; at no moment do two schedulers lead.
import { connect, type ChannelModel } from 'amqplib';
import { parseTopology } from '@warren/topology';
import { startFaultProxy, uniqueName, useBroker, waitFor, type FaultProxy } from '@warren/testing';
import { createScheduler, type Scheduler } from '../../src';
import { confirmPublisher } from '../confirmPublisher';

const broker = useBroker();
const until = (what: string, timeoutMs: number, condition: () => boolean): Promise<true> =>
  waitFor(what, timeoutMs, () => Promise.resolve(condition() ? true : undefined), 20);

describe('scheduler lease under faults', () => {
  let connection: ChannelModel;
  let proxy: FaultProxy;
  const schedulers: Scheduler[] = [];

  beforeAll(async () => {
    connection = await connect(broker.amqpUrl);
    proxy = await startFaultProxy({ target: broker.amqpUrl });
  });
  afterAll(async () => {
    await Promise.all(schedulers.map((s) => s.close()));
    await proxy.close();
    await connection.close();
  });

  async function setUp(): Promise<{ make: (url: string) => Scheduler; ticks: string[]; both: () => boolean }> {
    const queue = broker.trackQueue(uniqueName('lease-ticks'));
    const lease = broker.trackQueue(uniqueName('lease'));
    broker.trackQueue(`${lease}.ticks`);
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { durable: true });
    const ticks: string[] = [];
    await channel.consume(queue, (m) => m && ticks.push(String(m.properties.messageId)), { noAck: true });
    const topology = parseTopology({
      queues: { [queue]: { type: 'classic', deadLetter: false } },
      schedules: { beat: { every: '1s', exchange: '', routingKey: queue } },
    });
    const make = (url: string): Scheduler => {
      const publisher = confirmPublisher(broker.amqpUrl);
      broker.teardown(() => publisher.close());
      const scheduler = createScheduler({ urls: url, topology, publisher, leaseQueue: lease, heartbeatSeconds: 2 });
      schedulers.push(scheduler);
      return scheduler;
    };
    let overlapped = false;
    const watch = setInterval(() => {
      const leading = schedulers.filter((s) => s.isLeading).length;
      overlapped ||= leading > 1;
    }, 10);
    broker.teardown(async () => clearInterval(watch));
    return { make, ticks, both: () => overlapped };
  }

  it('a reset connection: the leader steps down at once and the other leads within 5 s', async () => {
    const { make, ticks, both } = await setUp();
    const a = make(proxy.url);
    await until('a leads', 15_000, () => a.isLeading);
    const b = make(broker.amqpUrl);
    await until('a tick', 5_000, () => ticks.length > 1);
    const cutAt = Date.now();
    proxy.cut();
    await until('b leads', 5_000, () => b.isLeading);
    const handOverMs = Date.now() - cutAt;
    const before = ticks.length;
    await until('ticks from b', 5_000, () => ticks.length >= before + 2);
    expect(handOverMs).toBeLessThan(5000);
    expect(both()).toBe(false);
    expect(a.isLeading).toBe(false);
    await Promise.all([a.close(), b.close()]);
    expect(ticks.length - new Set(ticks).size).toBeLessThanOrEqual(1);
  }, 40_000);

  it('a black-holed leader steps down within 3 s (the fence), before another takes over', async () => {
    proxy.heal();
    const { make, ticks, both } = await setUp();
    const a = make(proxy.url);
    await until('a leads', 15_000, () => a.isLeading);
    const b = make(broker.amqpUrl);
    await until('a tick', 5_000, () => ticks.length > 1);
    let followedAt = 0;
    a.once('following', () => (followedAt = Date.now()));
    const holedAt = Date.now();
    proxy.blackhole();
    await until('a steps down', 5_000, () => followedAt > 0);
    expect(followedAt - holedAt).toBeLessThan(3_000); // a fence check every second, each bounded by 1 s
    await until('b leads', 30_000, () => b.isLeading);
    expect(both()).toBe(false);
    proxy.heal();
    await Promise.all([a.close(), b.close()]);
  }, 60_000);
});
