import { z } from 'zod';
import { ConnectionConfigError, defineContract } from '@warren/core';
import {
  BlockedError,
  BrokerBusyError,
  BufferFullError,
  ExchangeNotFoundError,
  MessageTooLargeError,
  PublisherClosedError,
  PublishTimeoutError,
  NotSentError,
  UnroutableError,
  ValidationError,
} from '../src/errors';
import { fakePublisher, flush, sleep } from './fakes';

const OrderCreated = defineContract({
  exchange: 'orders',
  routingKey: 'order.created',
  schema: z.object({ orderId: z.string(), total: z.number().positive() }),
});

describe('publish', () => {
  it('validates the payload before sending anything', async () => {
    const { publisher, manager } = fakePublisher();
    const connection = await manager.connect();
    const bad = { orderId: 42, total: -1 } as unknown as { orderId: string; total: number };
    const error = await publisher.publish(OrderCreated, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('VALIDATION_FAILED');
    expect((error as ValidationError).issues.map((i) => i.path.join('.'))).toEqual(['orderId', 'total']);
    expect(connection.channel.sent).toHaveLength(0);
    expect(publisher.bufferSize).toEqual({ messages: 0, bytes: 0 });
  });

  it('sends JSON, persistent, mandatory, with a messageId and timestamp, and resolves on the ack', async () => {
    const { publisher, manager } = fakePublisher();
    const channel = (await manager.connect()).channel;
    const result = publisher.publish(OrderCreated, { orderId: 'a', total: 1 }, { headers: { h: 1 } });
    expect(channel.sent).toHaveLength(1);
    const [sent] = channel.sent;
    expect(sent!.exchange).toBe('orders');
    expect(sent!.routingKey).toBe('order.created');
    expect(JSON.parse(sent!.content.toString())).toEqual({ orderId: 'a', total: 1 });
    expect(sent!.properties).toMatchObject({
      persistent: true,
      mandatory: true,
      contentType: 'application/json',
      headers: { h: 1 },
    });
    expect(sent!.properties.messageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Math.abs(Number(sent!.properties.timestamp) - Date.now() / 1000)).toBeLessThan(2);
    expect(publisher.bufferSize.messages).toBe(1);
    channel.ack(1);
    await expect(result).resolves.toEqual({ messageId: sent!.properties.messageId });
    expect(publisher.bufferSize).toEqual({ messages: 0, bytes: 0 });
  });

  it('keeps the caller messageId and sends a Buffer as is with publishRaw', async () => {
    const { publisher, manager } = fakePublisher();
    const channel = (await manager.connect()).channel;
    const result = publisher.publishRaw('x', 'k', Buffer.from('raw'), { messageId: 'm-1' });
    expect(channel.sent[0]!.content.toString()).toBe('raw');
    expect(channel.sent[0]!.properties.contentType).toBe('application/octet-stream');
    channel.ack(1);
    await expect(result).resolves.toEqual({ messageId: 'm-1' });
  });

  it('fails with VALIDATION_FAILED when a raw body cannot be encoded as JSON', async () => {
    const { publisher } = fakePublisher();
    await expect(publisher.publishRaw('x', 'k', { n: 1n })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(publisher.bufferSize.messages).toBe(0);
  });

  it('buffers while connecting and sends on connect', async () => {
    const { publisher, manager } = fakePublisher();
    const results = [1, 2, 3].map((n) => publisher.publishRaw('x', 'k', { n }));
    expect(publisher.state).toBe('connecting');
    expect(publisher.bufferSize.messages).toBe(3);
    const channel = (await manager.connect()).channel;
    expect(publisher.state).toBe('connected');
    expect(channel.sent.map((s) => JSON.parse(s.content.toString()).n)).toEqual([1, 2, 3]);
    channel.ack(3, true);
    await expect(Promise.all(results)).resolves.toHaveLength(3);
  });

  it('fails an unroutable message with UnroutableError (the return comes before the ack)', async () => {
    const { publisher, manager } = fakePublisher();
    const channel = (await manager.connect()).channel;
    const returned = jest.fn();
    publisher.on('returned', returned);
    const first = publisher.publishRaw('x', 'nowhere', {});
    const second = publisher.publishRaw('x', 'k', {});
    channel.returnMessage(0);
    channel.ack(2, true);
    const error = await first.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnroutableError);
    expect(error).toMatchObject({ code: 'UNROUTABLE', replyCode: 312 });
    await expect(second).resolves.toBeDefined();
    expect(returned).toHaveBeenCalledWith(expect.objectContaining({ routingKey: 'nowhere', replyCode: 312 }));
  });

  it('retries a nacked message with back-off, then resolves when acked', async () => {
    const { publisher, manager } = fakePublisher({ backoffInitialMs: 10, backoffMaxMs: 20 });
    const channel = (await manager.connect()).channel;
    const result = publisher.publishRaw('x', 'k', {});
    channel.nack(1);
    await sleep(40);
    expect(channel.sent).toHaveLength(2);
    expect(channel.sent[1]!.properties.messageId).toBe(channel.sent[0]!.properties.messageId);
    channel.ack(2);
    await expect(result).resolves.toBeDefined();
  });

  it('gives up on a message that keeps being nacked with BrokerBusyError and a Retry-After suggestion', async () => {
    const { publisher, manager } = fakePublisher({ backoffInitialMs: 5, backoffMaxMs: 20, timeoutMs: 150 });
    const channel = (await manager.connect()).channel;
    const nackAll = setInterval(() => channel.sent.forEach((_, i) => channel.nack(i + 1)), 2);
    const error = await publisher.publishRaw('x', 'k', {}).catch((e: unknown) => e);
    clearInterval(nackAll);
    expect(error).toBeInstanceOf(BrokerBusyError);
    expect((error as BrokerBusyError).code).toBe('BROKER_BUSY');
    expect((error as BrokerBusyError).retryAfterMs).toBe(20); // the back-off step reached: backoffMaxMs
    expect(channel.sent.length).toBeGreaterThan(1);
  });

  it('uses the whole budget: the last back-off is shortened to fit the deadline, not skipped', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.99);
    const { publisher, manager } = fakePublisher({ backoffInitialMs: 100, backoffMaxMs: 5_000, timeoutMs: 600 });
    const channel = (await manager.connect()).channel;
    const nackAll = setInterval(() => channel.sent.forEach((_, i) => channel.nack(i + 1)), 2);
    const started = Date.now();
    const error = await publisher.publishRaw('x', 'k', {}).catch((e: unknown) => e);
    clearInterval(nackAll);
    jest.restoreAllMocks();
    expect(error).toBeInstanceOf(BrokerBusyError);
    // Waits of 99, 198, then 396 ms would pass the deadline: the third is cut to end 50 ms before it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(540);
    expect(channel.sent.length).toBeGreaterThanOrEqual(4);
  });

  it('does not re-send a nacked message the broker could not answer before the deadline: BrokerBusyError at once', async () => {
    const { publisher, manager } = fakePublisher({ backoffInitialMs: 10, backoffMaxMs: 10, timeoutMs: 40 });
    const channel = (await manager.connect()).channel;
    const result = publisher.publishRaw('x', 'k', {}).catch((e: unknown) => e);
    channel.nack(1);
    // A copy must go out at least 50 ms (the least answer margin) before the deadline: none can within 40 ms.
    expect(await result).toBeInstanceOf(BrokerBusyError);
    expect(channel.sent).toHaveLength(1);
  });

  it('fails a re-sent copy still unanswered at the deadline with PublishTimeoutError (it may arrive), not BROKER_BUSY', async () => {
    const { publisher, manager } = fakePublisher({ backoffInitialMs: 5, backoffMaxMs: 5, timeoutMs: 150 });
    const channel = (await manager.connect()).channel;
    const result = publisher.publishRaw('x', 'k', {}).catch((e: unknown) => e);
    channel.nack(1);
    await sleep(30);
    expect(channel.sent).toHaveLength(2); // the broker never answers the second copy
    const error = await result;
    expect(error).toBeInstanceOf(PublishTimeoutError);
    expect((error as PublishTimeoutError).message).toMatch(/may still\s+arrive/);
  });

  it('fails with PublishTimeoutError, not BROKER_BUSY, when a copy lost with a connection may have arrived', async () => {
    const { publisher, manager } = fakePublisher({ backoffInitialMs: 5, backoffMaxMs: 5, timeoutMs: 150 });
    const first = (await manager.connect()).channel;
    const result = publisher.publishRaw('x', 'k', {}).catch((e: unknown) => e);
    expect(first.sent).toHaveLength(1);
    manager.drop(); // the first copy's fate is unknown: it may be in the queue
    const second = (await manager.connect()).channel;
    const nackAll = setInterval(() => second.sent.forEach((_, i) => second.nack(i + 1)), 2);
    const error = await result;
    clearInterval(nackAll);
    expect(second.sent.length).toBeGreaterThan(1);
    expect(error).toBeInstanceOf(PublishTimeoutError);
  });

  it('re-sends unconfirmed messages with the same messageId after a connection drop', async () => {
    const { publisher, manager } = fakePublisher();
    const disconnected = jest.fn();
    publisher.on('disconnected', disconnected);
    const first = (await manager.connect()).channel;
    const results = [1, 2, 3].map((n) => publisher.publishRaw('x', 'k', { n }));
    first.ack(1);
    manager.drop();
    expect(publisher.state).toBe('disconnected');
    expect(disconnected).toHaveBeenCalledWith({ reason: 'read ECONNRESET' });
    expect(publisher.bufferSize.messages).toBe(2);
    const second = (await manager.connect()).channel;
    expect(second.sent.map((s) => s.properties.messageId)).toEqual(
      first.sent.slice(1).map((s) => s.properties.messageId),
    );
    second.ack(2, true);
    await expect(Promise.all(results)).resolves.toHaveLength(3);
  });

  it('fails only the messages for a missing exchange (404) and re-sends the others on a new channel', async () => {
    const { publisher, manager } = fakePublisher();
    const connection = await manager.connect();
    const good = publisher.publishRaw('orders', 'k', {});
    const bad = publisher.publishRaw('nope', 'k', {});
    const notFound = Object.assign(
      new Error(
        "Channel closed by server: 404 (NOT-FOUND) with message \"NOT_FOUND - no exchange 'nope' in vhost '/'\"",
      ),
      { code: 404 },
    );
    connection.channel.kill(notFound);
    const error = await bad.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExchangeNotFoundError);
    expect(error).toMatchObject({ code: 'EXCHANGE_NOT_FOUND', replyCode: 404 });
    await sleep(150);
    expect(connection.channels).toHaveLength(2);
    expect(connection.channel.sent.map((s) => s.exchange)).toEqual(['orders']);
    connection.channel.ack(1);
    await expect(good).resolves.toBeDefined();
  });

  it('holds at most maxInFlight unconfirmed messages on the channel', async () => {
    const { publisher, manager } = fakePublisher({ maxInFlight: 2 });
    const channel = (await manager.connect()).channel;
    const results = [1, 2, 3, 4, 5].map((n) => publisher.publishRaw('x', 'k', { n }));
    expect(channel.sent).toHaveLength(2);
    channel.ack(2); // out of order: leaves tag 1 unconfirmed
    expect(channel.sent).toHaveLength(3);
    channel.ack(3, true);
    expect(channel.sent).toHaveLength(5);
    channel.ack(5, true);
    await expect(Promise.all(results)).resolves.toHaveLength(5);
  });

  it('stops sending when the socket buffer is full and resumes on drain', async () => {
    const { publisher, manager } = fakePublisher();
    const channel = (await manager.connect()).channel;
    channel.writable = false;
    const results = [1, 2, 3].map((n) => publisher.publishRaw('x', 'k', { n }));
    expect(channel.sent).toHaveLength(1);
    channel.writable = true;
    channel.emit('drain');
    expect(channel.sent).toHaveLength(3);
    channel.ack(3, true);
    await Promise.all(results);
  });
});

describe('buffer', () => {
  it('fails a publish at once with BufferFullError when the buffer is full', async () => {
    const { publisher } = fakePublisher({ maxBufferMessages: 2, timeoutMs: 100 });
    const held = [publisher.publishRaw('x', 'k', {}), publisher.publishRaw('x', 'k', {})];
    const error = await publisher.publishRaw('x', 'k', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BufferFullError);
    expect(error).toMatchObject({ code: 'BUFFER_FULL' });
    expect((error as BufferFullError).retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(publisher.bufferSize.messages).toBe(2);
    for (const result of held) await expect(result).rejects.toBeInstanceOf(NotSentError);
  });

  it('limits bytes too', async () => {
    const { publisher } = fakePublisher({ maxBufferBytes: 10, timeoutMs: 50 });
    const held = publisher.publishRaw('x', 'k', Buffer.alloc(8));
    await expect(publisher.publishRaw('x', 'k', Buffer.alloc(8))).rejects.toBeInstanceOf(BufferFullError);
    expect(publisher.bufferSize).toEqual({ messages: 1, bytes: 8 });
    await expect(held).rejects.toMatchObject({ code: 'NOT_SENT' });
  });

  it("waits for space with whenBufferFull: 'wait'", async () => {
    const { publisher, manager } = fakePublisher({ maxBufferMessages: 1, whenBufferFull: 'wait' });
    const first = publisher.publishRaw('x', 'k', { n: 1 });
    const second = publisher.publishRaw('x', 'k', { n: 2 });
    expect(publisher.bufferSize.messages).toBe(1);
    const channel = (await manager.connect()).channel;
    channel.ack(1);
    await first;
    await flush();
    expect(channel.sent).toHaveLength(2);
    channel.ack(2);
    await expect(second).resolves.toBeDefined();
  });

  it('fails a waiting publish with BufferFullError at its deadline', async () => {
    const { publisher } = fakePublisher({ maxBufferMessages: 1, whenBufferFull: 'wait', timeoutMs: 50 });
    const first = publisher.publishRaw('x', 'k', {}, { timeoutMs: 1000 });
    await expect(publisher.publishRaw('x', 'k', {})).rejects.toBeInstanceOf(BufferFullError);
    void first.catch(() => undefined);
    await publisher.close({ timeoutMs: 0 });
  });
});

describe('fail fast', () => {
  it('refuses a body over maxMessageBytes before sending', async () => {
    const { publisher } = fakePublisher({ maxMessageBytes: 4 });
    await expect(publisher.publishRaw('x', 'k', Buffer.alloc(5))).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
    });
    expect(publisher.bufferSize.messages).toBe(0);
  });

  it("turns amqplib's RangeError for oversized headers into HEADERS_TOO_LARGE", async () => {
    const { publisher, manager } = fakePublisher();
    const channel = (await manager.connect()).channel;
    channel.throwOnPublish = new RangeError('Encoded field table exceeds the 65536 byte encoding buffer');
    const error = await publisher.publishRaw('x', 'k', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect(error).toMatchObject({ code: 'HEADERS_TOO_LARGE' });
  });

  it('fails a message amqplib cannot encode without blocking the ones behind it', async () => {
    const { publisher, manager } = fakePublisher();
    const channel = (await manager.connect()).channel;
    channel.throwOnPublish = new TypeError('Expected string for routingKey');
    const bad = publisher.publishRaw('x', 'k', {});
    channel.throwOnPublish = undefined;
    const good = publisher.publishRaw('x', 'k', {});
    await expect(bad).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    channel.ack(1);
    await expect(good).resolves.toBeDefined();
  });

  it('fails every publish with the ConnectionConfigError when the connection cannot succeed', async () => {
    const { publisher, manager } = fakePublisher();
    const failed = jest.fn();
    publisher.on('failed', failed);
    const pending = publisher.publishRaw('x', 'k', {});
    const fatal = new ConnectionConfigError('ACCESS_REFUSED', 'refused', { replyCode: 403 });
    manager.onFatal!(fatal);
    await expect(pending).rejects.toBe(fatal);
    await expect(publisher.publishRaw('x', 'k', {})).rejects.toBe(fatal);
    expect(publisher.state).toBe('failed');
    expect(failed).toHaveBeenCalledWith(fatal);
  });

  it("fails publishes waiting for buffer space (whenBufferFull: 'wait') with the ConnectionConfigError too", async () => {
    const { publisher, manager } = fakePublisher({ maxBufferMessages: 1, whenBufferFull: 'wait', timeoutMs: 200 });
    const held = publisher.publishRaw('x', 'k', { n: 1 });
    const waiting = publisher.publishRaw('x', 'k', { n: 2 });
    const fatal = new ConnectionConfigError('ACCESS_REFUSED', 'refused', { replyCode: 403 });
    manager.onFatal!(fatal);
    await expect(held).rejects.toBe(fatal);
    await expect(waiting).rejects.toBe(fatal);
  });

  it('fails a message never sent with NotSentError (definite), never "may still arrive", when not connected', async () => {
    const { publisher } = fakePublisher({ timeoutMs: 30 });
    const error = await publisher.publishRaw('x', 'k', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_SENT' });
    expect(error).toBeInstanceOf(NotSentError);
    expect((error as Error).message).not.toMatch(/may still\s+arrive/);
    expect(publisher.bufferSize.messages).toBe(0);
  });

  it('fails a message sent before the connection died with PublishTimeoutError (it may arrive)', async () => {
    const { publisher, manager } = fakePublisher({ timeoutMs: 100 });
    const channel = (await manager.connect()).channel;
    const result = publisher.publishRaw('x', 'k', {});
    expect(channel.sent).toHaveLength(1);
    manager.drop();
    await expect(result).rejects.toMatchObject({ code: 'PUBLISH_TIMEOUT' });
  });

  it('fails a message sent before a block with PublishTimeoutError, not BROKER_BLOCKED (it may arrive)', async () => {
    const { publisher, manager } = fakePublisher({ timeoutMs: 50 });
    const channel = (await manager.connect()).channel;
    const sent = publisher.publishRaw('x', 'k', {});
    expect(channel.sent).toHaveLength(1);
    manager.emit('blocked', { reason: 'low on memory' });
    await expect(sent).rejects.toMatchObject({ code: 'PUBLISH_TIMEOUT' });
  });

  it('holds messages while blocked and fails them with BlockedError at the deadline', async () => {
    const { publisher, manager } = fakePublisher({ timeoutMs: 50 });
    const channel = (await manager.connect()).channel;
    const events: string[] = [];
    publisher.on('blocked', () => events.push('blocked'));
    publisher.on('unblocked', () => events.push('unblocked'));
    manager.emit('blocked', { reason: 'low on memory' });
    expect(publisher.state).toBe('blocked');
    const late = publisher.publishRaw('x', 'k', {});
    expect(channel.sent).toHaveLength(0);
    await expect(late).rejects.toMatchObject({ code: 'BROKER_BLOCKED' });
    await expect(late).rejects.toBeInstanceOf(BlockedError);
    const ok = publisher.publishRaw('x', 'k', {});
    manager.emit('unblocked');
    expect(publisher.state).toBe('connected');
    expect(channel.sent).toHaveLength(1);
    channel.ack(1);
    await ok;
    expect(events).toEqual(['blocked', 'unblocked']);
  });
});

describe('close', () => {
  it('waits for confirms, is idempotent, and refuses later publishes', async () => {
    const { publisher, manager } = fakePublisher();
    const channel = (await manager.connect()).channel;
    const result = publisher.publishRaw('x', 'k', {});
    const closing = publisher.close();
    expect(publisher.close()).toBe(closing);
    await expect(publisher.publishRaw('x', 'k', {})).rejects.toBeInstanceOf(PublisherClosedError);
    channel.ack(1);
    await closing;
    await expect(result).resolves.toBeDefined();
    expect(publisher.state).toBe('closed');
    expect(manager.closed).toBe(true);
  });

  it('fails what is still unconfirmed at its deadline with PublisherClosedError', async () => {
    const { publisher, manager } = fakePublisher();
    await manager.connect();
    const result = publisher.publishRaw('x', 'k', {});
    await publisher.close({ timeoutMs: 20 });
    await expect(result).rejects.toMatchObject({ code: 'PUBLISHER_CLOSED' });
  });

  it("settles publishes still waiting for buffer space (whenBufferFull: 'wait') when close() gives up", async () => {
    const { publisher } = fakePublisher({ maxBufferMessages: 1, whenBufferFull: 'wait', timeoutMs: 60_000 });
    const held = publisher.publishRaw('x', 'k', { n: 1 });
    const waiting = publisher.publishRaw('x', 'k', { n: 2 });
    await publisher.close({ timeoutMs: 20 });
    // Bounded, so a regression fails here instead of hanging the suite.
    const outcome = (p: Promise<unknown>) =>
      Promise.race([
        p.then(
          () => 'resolved',
          (e: { code?: string }) => e.code,
        ),
        sleep(500).then(() => 'unsettled'),
      ]);
    expect(await outcome(held)).toBe('PUBLISHER_CLOSED');
    expect(await outcome(waiting)).toBe('PUBLISHER_CLOSED');
  });
});
