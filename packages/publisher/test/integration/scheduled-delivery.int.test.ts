import { connect } from 'amqplib';
import { z } from 'zod';
import { defineContract, HEADERS, REPLY } from '@warren/core';
import { TestManagementClient, uniqueName, useBroker, waitFor } from '@warren/testing';
import { InvalidDelayError, MAX_DELAY_MS } from '../../src';
import { openPublisher, watchForStrayErrors } from './helpers';
import { applyIn, collect, useOwnVhost } from './ladder-helpers';

// The ladder is shared by a vhost: these tests get a vhost of their own, deleted afterwards with the ladder in it.
const broker = useBroker();
const vhost = useOwnVhost(broker);
const stray = watchForStrayErrors();
const topic = uniqueName('sched-topic');
const direct = uniqueName('sched-direct');
const fanout = uniqueName('sched-fanout');
const reminders = uniqueName('sched-reminders');
const byKey = uniqueName('sched-direct-q');
const everything = uniqueName('sched-fanout-q');
const unscheduled = uniqueName('sched-off');
applyIn(vhost, {
  scheduling: true,
  exchanges: {
    [topic]: { type: 'topic' },
    [direct]: { type: 'direct' },
    [fanout]: { type: 'fanout' },
    [unscheduled]: { type: 'topic', scheduling: false },
  },
  queues: {
    [reminders]: { bindings: [{ exchange: topic, routingKey: 'reminder.*' }] },
    [byKey]: { bindings: [{ exchange: direct, routingKey: 'a.b' }] },
    [everything]: { bindings: [{ exchange: fanout }, { exchange: unscheduled, routingKey: '#' }] },
  },
});

/** ±1.5 s after the due time, never before it: the precision. */
const LATE_MS = 1_500;
const api = () => new TestManagementClient(vhost.managementUrl, vhost.name);

describe('scheduled delivery through the delay ladder', () => {
  it('delivers 7 s, 3 s and 1 s messages published in that order in delay order, on time, intact', async () => {
    const publisher = openPublisher(vhost as never, stray);
    const arriving = collect(vhost.amqpUrl, reminders, 3, 30_000);
    const due = new Map<string, number>();
    for (const seconds of [7, 3, 1]) {
      const messageId = `reminder-${seconds}`;
      due.set(messageId, Date.now() + seconds * 1000);
      await publisher.publishRaw(
        topic,
        `reminder.${seconds}s`,
        { seconds },
        {
          delay: `${seconds}s`,
          messageId,
          headers: { 'x-tenant': 't1' },
        },
      );
    }
    const arrivals = await arriving;
    expect(arrivals.map((a) => a.message.properties.messageId)).toEqual(['reminder-1', 'reminder-3', 'reminder-7']);
    for (const { at, message } of arrivals) {
      const wanted = due.get(String(message.properties.messageId))!;
      expect(at).toBeGreaterThanOrEqual(wanted);
      expect(at - wanted).toBeLessThanOrEqual(LATE_MS);
      expect(message.properties.headers).toMatchObject({
        'x-tenant': 't1',
        [HEADERS.originalExchange]: topic,
        [HEADERS.originalRoutingKey]: message.content.toString().includes('"seconds":1}')
          ? 'reminder.1s'
          : expect.any(String),
      });
    }
  });

  it('keeps direct, fanout and default-exchange routing, and notBefore works like delay', async () => {
    const publisher = openPublisher(vhost as never, stray);
    const toKey = collect(vhost.amqpUrl, byKey, 1, 15_000);
    const toAll = collect(vhost.amqpUrl, everything, 2, 15_000);
    const notBefore = new Date(Date.now() + 2_000);
    await publisher.publishRaw(direct, 'a.b', 'direct', { notBefore });
    await publisher.publishRaw(fanout, 'any.key', 'fanout', { delay: 1_000 });
    await publisher.publishRaw('', everything, 'default', { delay: '1s' });
    // A key the direct binding does not match: the publish cannot see that far (the ladder's entry routes it).
    await publisher.publishRaw(direct, 'a.c', 'nowhere', { delay: '1s' });
    const [key, all] = await Promise.all([toKey, toAll]);
    expect(key.map((a) => a.message.content.toString())).toEqual(['"direct"']);
    expect(key[0]!.at).toBeGreaterThanOrEqual(notBefore.getTime());
    expect(all.map((a) => a.message.content.toString()).sort()).toEqual(['"default"', '"fanout"']);
    // At-least-once dead-lettering keeps it in level 00 (not lost) until a binding matches it.
    await waitFor('the unroutable message to be held in level 00', 20_000, async () => {
      const level = await api().request<{ messages?: number }>(
        'GET',
        `/api/queues/${encodeURIComponent(vhost.name)}/warren.delay.level.00`,
      );
      return level.messages === 1 ? true : undefined;
    });
  });

  it('delivers a request with `delay` no earlier than asked, and its reply comes back', async () => {
    const contract = defineContract({
      exchange: topic,
      routingKey: 'reminder.ask',
      queue: reminders,
      schema: z.object({ n: z.number() }),
      reply: z.object({ doubled: z.number() }),
    });
    // A worker in plain amqplib speaking Warren's reply protocol (the consumer's own side is tested in its package).
    const connection = await connect(vhost.amqpUrl);
    connection.on('error', () => undefined);
    broker.teardown(() => connection.close().catch(() => undefined));
    const channel = await connection.createChannel();
    let arrivedAt = 0;
    await channel.consume(reminders, (message) => {
      if (message === null) return;
      arrivedAt = Date.now();
      const { n } = JSON.parse(message.content.toString()) as { n: number };
      const { replyTo, correlationId } = message.properties as { replyTo: string; correlationId: string };
      channel.publish('', replyTo, Buffer.from(JSON.stringify({ doubled: n * 2 })), {
        correlationId,
        headers: { [REPLY.statusHeader]: 'ok' },
      });
      channel.ack(message);
    });
    const publisher = openPublisher(vhost as never, stray);
    const due = Date.now() + 2_000;
    const reply = await publisher.request(contract, { n: 21 }, { delay: '2s', timeoutMs: 10_000 });
    expect(reply).toEqual({ doubled: 42 });
    expect(arrivedAt).toBeGreaterThanOrEqual(due);
    expect(arrivedAt - due).toBeLessThanOrEqual(LATE_MS);
    const unknown = await publisher.request(contract, { n: 1 }, { delayMs: 5 } as never).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('did you mean "delay"') });
  });

  it('refuses a delay beyond the ladder with INVALID_DELAY naming the limit', async () => {
    const publisher = openPublisher(vhost as never, stray);
    const error = await publisher.publishRaw(topic, 'reminder.x', {}, { delay: '49d' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDelayError);
    expect(error).toMatchObject({ code: 'INVALID_DELAY', maxDelayMs: MAX_DELAY_MS });
    expect((error as Error).message).toContain(`maximum of ${MAX_DELAY_MS} ms`);
  });
});
