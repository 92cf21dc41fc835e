import { z } from 'zod';
import { ConnectionConfigError, defineContract } from '@warren/core';
import { queueDepth, uniqueName, useBroker } from '@warren/testing';
import {
  BrokerBusyError,
  ExchangeNotFoundError,
  MessageTooLargeError,
  UnroutableError,
  ValidationError,
  type PublishResult,
} from '../../src';
import { countById, declareRoute, openPublisher, rawChannel, sleep, watchForStrayErrors } from './helpers';

const broker = useBroker();
const stray = watchForStrayErrors();

describe('publisher on a real broker', () => {
  it('sends a typed message that arrives with its properties; an invalid payload sends nothing', async () => {
    const channel = await rawChannel(broker);
    const { exchange, queue, routingKey } = await declareRoute(broker, channel);
    const Contract = defineContract({ exchange, routingKey, schema: z.object({ id: z.string(), n: z.number() }) });
    const publisher = openPublisher(broker, stray);

    const invalid = { id: 1, n: 'x' } as unknown as { id: string; n: number };
    await expect(publisher.publish(Contract, invalid)).rejects.toBeInstanceOf(ValidationError);
    const { messageId } = await publisher.publish(Contract, { id: 'a', n: 1 }, { headers: { tenant: 't1' } });

    const { messages } = await countById(channel, queue, 1, 10_000);
    await sleep(200);
    expect(await queueDepth(broker.amqpUrl, queue)).toBe(0); // nothing else: the invalid one was never sent
    const [message] = messages;
    expect(JSON.parse(message!.content.toString())).toEqual({ id: 'a', n: 1 });
    expect(message!.properties).toMatchObject({
      messageId,
      contentType: 'application/json',
      deliveryMode: 2,
      headers: { tenant: 't1' },
    });
    expect(typeof message!.properties.timestamp).toBe('number');
  });

  it('fails an unroutable message with UnroutableError', async () => {
    const channel = await rawChannel(broker);
    const { exchange } = await declareRoute(broker, channel);
    const publisher = openPublisher(broker, stray);
    const error = await publisher.publishRaw(exchange, 'no-such-key', { a: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnroutableError);
    expect(error).toMatchObject({ code: 'UNROUTABLE', replyCode: 312 });
  });

  it('fails a publish to a missing exchange (404) and still confirms the others sent with it', async () => {
    const channel = await rawChannel(broker);
    const { exchange, queue, routingKey } = await declareRoute(broker, channel);
    const publisher = openPublisher(broker, stray);
    const good = Array.from({ length: 50 }, (_, i) => publisher.publishRaw(exchange, routingKey, { i }));
    const missing = publisher.publishRaw(uniqueName('missing-ex'), routingKey, {});
    const more = Array.from({ length: 50 }, (_, i) => publisher.publishRaw(exchange, routingKey, { i: i + 50 }));
    const error = await missing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeNotFoundError);
    expect(error).toMatchObject({ code: 'EXCHANGE_NOT_FOUND', replyCode: 404 });
    await expect(Promise.all([...good, ...more])).resolves.toHaveLength(100);
    expect((await countById(channel, queue, 100, 10_000)).distinct).toBe(100);
  });

  it('refuses messages over the size limit and oversized headers at once, and keeps working', async () => {
    const channel = await rawChannel(broker);
    const { exchange, routingKey } = await declareRoute(broker, channel);
    const publisher = openPublisher(broker, stray);
    const started = Date.now();
    const big = await publisher
      .publishRaw(exchange, routingKey, Buffer.alloc(16 * 1024 * 1024 + 1))
      .catch((e: unknown) => e);
    expect(big).toBeInstanceOf(MessageTooLargeError);
    expect(big).toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    const headers = { blob: 'x'.repeat(70 * 1024) };
    const fat = await publisher.publishRaw(exchange, routingKey, {}, { headers }).catch((e: unknown) => e);
    expect(fat).toMatchObject({ code: 'HEADERS_TOO_LARGE' });
    const longKey = await publisher.publishRaw(exchange, 'k'.repeat(300), {}).catch((e: unknown) => e);
    expect(longKey).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(publisher.publishRaw(exchange, routingKey, { ok: true })).resolves.toBeDefined();
  });

  it.each(['classic', 'quorum'] as const)(
    'a full %s queue (max-length 100, reject-publish): the overflow ends in BrokerBusyError, 100 are queued',
    async (type) => {
      const channel = await rawChannel(broker);
      const { exchange, queue, routingKey } = await declareRoute(broker, channel, {
        'x-queue-type': type,
        'x-max-length': 100,
        'x-overflow': 'reject-publish',
      });
      const publisher = openPublisher(broker, stray, { backoffInitialMs: 50, backoffMaxMs: 400 });
      const publish = (i: number): Promise<unknown> =>
        publisher.publishRaw(exchange, routingKey, { i }, { timeoutMs: 2_000 });
      // Fill the queue, then cross the limit with one message, then overflow it. A quorum queue checks the limit
      // per Ra command, racing the "full" signal back to the channel: with TCP_NODELAY a burst sent as the queue
      // reaches its limit can be admitted whole (checked with raw amqplib too), so the burst comes after.
      const first = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => publish(i)));
      const started = Date.now();
      const crossing = await Promise.allSettled([publish(100)]);
      const burst = await Promise.allSettled(Array.from({ length: 29 }, (_, i) => publish(101 + i)));
      const outcomes = [...first, ...crossing, ...burst];
      const confirmed = outcomes.filter((o) => o.status === 'fulfilled');
      const busy = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(busy.every((e) => e instanceof BrokerBusyError)).toBe(true);
      expect(busy.length).toBeGreaterThanOrEqual(29);
      expect((busy[0] as BrokerBusyError).retryAfterMs).toBe(400); // the back-off step reached: backoffMaxMs
      expect(Date.now() - started).toBeGreaterThan(500); // it backed off and retried before giving up
      const depth = await queueDepth(broker.amqpUrl, queue);
      // RabbitMQ's docs: a quorum queue with reject-publish may admit one message over the limit.
      if (type === 'classic') expect(depth).toBe(100);
      else expect([100, 101]).toContain(depth);
      expect(confirmed).toHaveLength(depth);
      expect(busy).toHaveLength(130 - depth);
    },
  );

  it('fails fast on a wrong password with ConnectionConfigError (ACCESS_REFUSED) within 2 s', async () => {
    const url = new URL(broker.amqpUrl);
    url.password = 'definitely-wrong';
    const publisher = openPublisher(broker, stray, { urls: url.toString() });
    const failed = new Promise((resolve) => publisher.once('failed', resolve));
    const started = Date.now();
    const error = await publisher.publishRaw('amq.direct', 'k', {}).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(ConnectionConfigError);
    expect(error).toMatchObject({ code: 'ACCESS_REFUSED', replyCode: 403 });
    expect((error as Error).message).not.toContain('definitely-wrong');
    await failed;
    expect(publisher.state).toBe('failed');
  });

  it('fails fast on a missing vhost with ConnectionConfigError (VHOST_NOT_FOUND)', async () => {
    const url = new URL(broker.amqpUrl);
    url.pathname = `/${uniqueName('no-vhost')}`;
    const publisher = openPublisher(broker, stray, { urls: url.toString() });
    const error = await publisher.publishRaw('amq.direct', 'k', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VHOST_NOT_FOUND' });
  });

  it('resolves with the messageId it was given', async () => {
    const channel = await rawChannel(broker);
    const { exchange, routingKey } = await declareRoute(broker, channel);
    const publisher = openPublisher(broker, stray);
    const result: PublishResult = await publisher.publishRaw(exchange, routingKey, 'x', { messageId: 'mine-1' });
    expect(result).toEqual({ messageId: 'mine-1' });
    expect(publisher.state).toBe('connected');
    expect(publisher.bufferSize).toEqual({ messages: 0, bytes: 0 });
  });
});
