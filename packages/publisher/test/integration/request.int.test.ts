import type { Channel, ConsumeMessage } from 'amqplib';
import { z } from 'zod';
import { defineContract, REPLY } from '@warren/core';
import { startFaultProxy, uniqueName, useBroker } from '@warren/testing';
import {
  InvalidReplyError,
  RemoteError,
  ReplyChannelLostError,
  RequestTimeoutError,
  UnroutableError,
  type Publisher,
} from '../../src';
import { declareRoute, openPublisher, rawChannel, sleep, watchForStrayErrors } from './helpers';

// The worker here is plain amqplib speaking Warren's reply protocol (the consumer's own side is tested in
// @warren/consumer): the reply goes to `replyTo` through the default exchange with the request's correlation id.
const broker = useBroker();
const stray = watchForStrayErrors();

const Preview = z.object({ id: z.number(), preview: z.string() });

async function route(): Promise<{ channel: Channel; contract: ReturnType<typeof contractFor> }> {
  const channel = await rawChannel(broker);
  const { exchange, queue, routingKey } = await declareRoute(broker, channel);
  return { channel, contract: contractFor(exchange, routingKey, queue) };
}

function contractFor(exchange: string, routingKey: string, queue: string) {
  return defineContract({ exchange, routingKey, queue, schema: z.object({ id: z.number() }), reply: Preview });
}

type Answer = (request: { id: number }, message: ConsumeMessage) => { status?: 'ok' | 'error'; body: unknown } | null;

/** A worker on `queue` that answers with `answer` (null: no answer). */
async function serve(channel: Channel, queue: string, answer: Answer): Promise<void> {
  await channel.prefetch(500);
  await channel.consume(queue, (message) => {
    if (!message) return;
    const reply = answer(JSON.parse(message.content.toString()) as { id: number }, message);
    if (reply) {
      const { replyTo, correlationId } = message.properties as { replyTo: string; correlationId: string };
      channel.publish('', replyTo, Buffer.from(JSON.stringify(reply.body)), {
        correlationId,
        headers: { [REPLY.statusHeader]: reply.status ?? 'ok' },
      });
    }
    channel.ack(message);
  });
}

const preview = (id: number) => ({ id, preview: `post ${id}` });

describe('publisher.request()', () => {
  it('gets 200 typed replies to 200 concurrent requests on one channel', async () => {
    const { channel, contract } = await route();
    await serve(channel, contract.queue!, (request) => ({ body: preview(request.id) }));
    const publisher = openPublisher(broker, stray);
    const ids = Array.from({ length: 200 }, (_, i) => i);
    const replies = await Promise.all(ids.map((id) => publisher.request(contract, { id }, { timeoutMs: 20_000 })));
    expect(replies).toEqual(ids.map(preview));
    // Typed by the contract's reply schema.
    const first: { id: number; preview: string } = replies[0]!;
    expect(first.preview).toBe('post 0');
  });

  it('rejects with RemoteError, carrying the worker code, when the worker answers with an error', async () => {
    const { channel, contract } = await route();
    await serve(channel, contract.queue!, () => ({
      status: 'error',
      body: { code: 'POST_NOT_FOUND', message: 'no post 7', reason: 'non-retryable' },
    }));
    const publisher = openPublisher(broker, stray);
    const error = await publisher.request(contract, { id: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code: 'REMOTE_ERROR', remoteCode: 'POST_NOT_FOUND', reason: 'non-retryable' });
    expect((error as RemoteError).remoteStack).toBeUndefined();
  });

  it('rejects a reply that does not match the reply schema with InvalidReplyError', async () => {
    const { channel, contract } = await route();
    await serve(channel, contract.queue!, () => ({ body: { id: 'not a number' } }));
    const publisher = openPublisher(broker, stray);
    await expect(publisher.request(contract, { id: 1 })).rejects.toBeInstanceOf(InvalidReplyError);
  });

  it('fails with RequestTimeoutError at the deadline when no worker answers, and counts the late reply', async () => {
    const { channel, contract } = await route();
    const held: ConsumeMessage[] = [];
    await serve(channel, contract.queue!, (_request, message) => (held.push(message), null));
    const publisher = openPublisher(broker, stray);
    const late: string[] = [];
    publisher.on('lateReply', (event) => late.push(event.correlationId));
    const started = Date.now();
    const error = await publisher.request(contract, { id: 1 }, { timeoutMs: 600 }).catch((e: unknown) => e);
    const waited = Date.now() - started;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ code: 'REQUEST_TIMEOUT' });
    expect(waited).toBeGreaterThanOrEqual(590);
    expect(waited).toBeLessThan(3_000);
    // The worker answers after all: the reply is dropped and counted, nothing rejects or throws.
    const { replyTo, correlationId } = held[0]!.properties as { replyTo: string; correlationId: string };
    channel.publish('', replyTo, Buffer.from(JSON.stringify(preview(1))), { correlationId });
    for (let i = 0; i < 50 && late.length === 0; i++) await sleep(20);
    expect(late).toEqual([correlationId]);
  });

  it('fails at once with UnroutableError when no queue is bound', async () => {
    const { contract } = await route();
    const publisher = openPublisher(broker, stray);
    const unbound = { ...contract, routingKey: uniqueName('nobody') };
    const started = Date.now();
    await expect(publisher.request(unbound, { id: 1 }, { timeoutMs: 10_000 })).rejects.toBeInstanceOf(UnroutableError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('fails pending requests at once with ReplyChannelLostError on a connection cut; new ones work after reconnect', async () => {
    const { channel, contract } = await route();
    let answering = false;
    const held: ConsumeMessage[] = [];
    await serve(channel, contract.queue!, (request, message) =>
      answering ? { body: preview(request.id) } : (held.push(message), null),
    );
    const proxy = await startFaultProxy({ target: broker.amqpUrl });
    broker.teardown(() => proxy.close());
    const publisher: Publisher = openPublisher(broker, stray, { urls: proxy.url, reconnectSeconds: 0.2 });
    const pending = [1, 2, 3].map((id) => publisher.request(contract, { id }, { timeoutMs: 30_000 }));
    for (const p of pending) p.catch(() => undefined);
    for (let i = 0; i < 100 && held.length < 3; i++) await sleep(20);
    expect(held).toHaveLength(3);
    const cutAt = Date.now();
    proxy.cut();
    const settled = await Promise.allSettled(pending);
    expect(Date.now() - cutAt).toBeLessThan(2_000);
    for (const result of settled) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as ReplyChannelLostError;
      expect(reason).toBeInstanceOf(ReplyChannelLostError);
      expect(reason.code).toBe('REPLY_CHANNEL_LOST');
    }
    answering = true;
    await expect(publisher.request(contract, { id: 4 }, { timeoutMs: 15_000 })).resolves.toEqual(preview(4));
  });

  it('fails at once with the signal reason when aborted', async () => {
    const { channel, contract } = await route();
    await serve(channel, contract.queue!, () => null);
    const publisher = openPublisher(broker, stray);
    const abort = new AbortController();
    const request = publisher.request(contract, { id: 1 }, { signal: abort.signal });
    abort.abort(new Error('caller went away'));
    await expect(request).rejects.toThrow('caller went away');
  });
});
