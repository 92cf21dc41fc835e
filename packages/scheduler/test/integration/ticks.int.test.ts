// What a tick carries (contract, payload function, headers), and the tick log: a scheduler started after a 3 s gap
// reads where the last one stopped and, with catchUp: all, fires the ticks missed meanwhile.
import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { z } from 'zod';
import { defineContract } from '@warren/core';
import { parseTopology } from '@warren/topology';
import { uniqueName, useBroker, waitFor } from '@warren/testing';
import { createScheduler, type Scheduler } from '../../src';
import { confirmPublisher } from '../confirmPublisher';

const broker = useBroker();
const until = (what: string, timeoutMs: number, condition: () => boolean): Promise<true> =>
  waitFor(what, timeoutMs, () => Promise.resolve(condition() ? true : undefined), 20);

describe('scheduler ticks', () => {
  let connection: ChannelModel;
  const schedulers: Scheduler[] = [];
  beforeAll(async () => {
    connection = await connect(broker.amqpUrl);
  });
  afterAll(async () => {
    await Promise.all(schedulers.map((s) => s.close()));
    await connection.close();
  });

  it('publishes a contract with the payload function, headers and messageId; the next scheduler catches up', async () => {
    const queue = broker.trackQueue(uniqueName('ticks'));
    const lease = broker.trackQueue(uniqueName('ticks-lease'));
    broker.trackQueue(`${lease}.ticks`);
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { durable: true });
    const received: ConsumeMessage[] = [];
    await channel.consume(queue, (m) => m && received.push(m), { noAck: true });
    const contract = defineContract({
      exchange: '',
      routingKey: queue,
      schema: z.object({ n: z.number(), at: z.string() }),
    });
    const topology = parseTopology({
      queues: { [queue]: { type: 'classic', deadLetter: false } },
      schedules: { count: { every: '1s', contract: 'counted', catchUp: 'all', maxCatchUp: 10 } },
    });
    let n = 0;
    const start = (): Scheduler => {
      const publisher = confirmPublisher(broker.amqpUrl);
      broker.teardown(() => publisher.close());
      const scheduler = createScheduler({
        urls: broker.amqpUrl,
        topology,
        publisher,
        leaseQueue: lease,
        contracts: { counted: contract },
        payloads: { count: ({ tickAt }) => ({ n: ++n, at: tickAt.toISOString() }) },
      });
      schedulers.push(scheduler);
      return scheduler;
    };
    const first = start();
    await until('3 ticks', 10_000, () => received.length >= 3);
    await first.close();
    const stoppedWith = received.length;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const second = start();
    await until('the catch-up and 2 more', 10_000, () => received.length >= stoppedWith + 5);
    await second.close();

    const ids = received.map((m) => String(m.properties.messageId));
    const times = ids.map((id) => Date.parse(id.slice('count@'.length)));
    expect(new Set(ids).size).toBe(ids.length); // no duplicates
    expect(times.every((t, i) => i === 0 || t - times[i - 1]! === 1000)).toBe(true); // no gaps: caught up
    const last = received[received.length - 1]!;
    expect(last.properties.headers).toMatchObject({
      'x-warren-schedule': 'count',
      'x-warren-tick': ids[ids.length - 1]!.slice(6),
    });
    expect(JSON.parse(last.content.toString())).toEqual({ n, at: ids[ids.length - 1]!.slice(6) });
  }, 40_000);

  /** A 1 s schedule (catchUp: all) on a queue of its own; `start(ms)` runs a scheduler whose confirms come ms late. */
  async function beats() {
    const queue = broker.trackQueue(uniqueName('ticks-close'));
    const lease = broker.trackQueue(uniqueName('ticks-close-lease'));
    broker.trackQueue(`${lease}.ticks`);
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { durable: true });
    const received: string[] = [];
    await channel.consume(queue, (m) => m && received.push(String(m.properties.messageId)), { noAck: true });
    const topology = parseTopology({
      queues: { [queue]: { type: 'classic', deadLetter: false } },
      schedules: { beat: { every: '1s', exchange: '', routingKey: queue, catchUp: 'all', maxCatchUp: 10 } },
    });
    const start = (confirmDelayMs: number): Scheduler => {
      const real = confirmPublisher(broker.amqpUrl);
      broker.teardown(() => real.close());
      // The broker has the tick; its confirm is slow to come back (a loaded broker): close() can land in between.
      const slow = async (published: Promise<unknown>): Promise<unknown> => {
        const result = await published;
        await new Promise((resolve) => setTimeout(resolve, confirmDelayMs));
        return result;
      };
      const scheduler = createScheduler({
        urls: broker.amqpUrl,
        topology,
        leaseQueue: lease,
        publisher: {
          publish: (contract, payload, options) => slow(real.publish(contract, payload, options)),
          publishRaw: (exchange, key, body, options) => slow(real.publishRaw(exchange, key, body, options)),
        },
      });
      schedulers.push(scheduler);
      return scheduler;
    };
    const times = (): number[] => received.map((id) => Date.parse(id.slice('beat@'.length)));
    return { received, start, times };
  }

  it('records the tick being confirmed when close() begins: the next scheduler does not send it again', async () => {
    const { received, start } = await beats();
    const first = start(600);
    await until('2 ticks', 10_000, () => received.length >= 2);
    await first.close(); // the second tick's confirm is still on its way
    const stoppedWith = received.length;
    const second = start(0);
    await until('2 more ticks', 10_000, () => received.length >= stoppedWith + 2);
    await second.close();
    expect(new Set(received).size).toBe(received.length); // no tick sent twice
  }, 40_000);

  it('a close() in the middle of a catch-up leaves the rest to the next scheduler: none twice, none lost', async () => {
    const { received, start, times } = await beats();
    const first = start(0);
    await until('2 ticks', 10_000, () => received.length >= 2);
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // about 3 ticks missed
    const second = start(600); // catches up one tick every 600 ms
    const before = received.length;
    await until('the first caught-up tick', 10_000, () => received.length > before);
    await second.close();
    const third = start(0);
    await until('caught up, and 2 more', 15_000, () => received.length >= before + 5);
    await third.close();
    expect(new Set(received).size).toBe(received.length);
    expect(times().every((t, i) => i === 0 || t - times()[i - 1]! === 1000)).toBe(true); // no gaps
  }, 40_000);
});
