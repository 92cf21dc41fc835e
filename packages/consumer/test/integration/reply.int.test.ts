import { connect, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { z } from 'zod';
import { defineContract, REPLY, type RemoteFailure } from '@warren/core';
import { uniqueName, useBroker } from '@warren/testing';
import { NonRetryableError } from '../../src';
import { sleep, until, useConsumerFixtures } from './helpers';

// The caller here is plain amqplib on direct reply-to (the publisher's own side is tested in @warren/publisher).
const broker = useBroker();
const fx = useConsumerFixtures(broker);

interface Reply {
  readonly status: unknown;
  readonly body: unknown;
  readonly at: number;
}

/** A caller: a channel consuming direct reply-to (no-ack, before any request), collecting replies by id. */
async function caller(): Promise<{
  ask(queue: string, body: unknown, id: string): Promise<void>;
  replies: Map<string, Reply>;
}> {
  const connection = await connect(broker.amqpUrl);
  connection.on('error', () => undefined);
  broker.teardown(() => connection.close().catch(() => undefined));
  const channel: ConfirmChannel = await connection.createConfirmChannel();
  const replies = new Map<string, Reply>();
  await channel.consume(
    REPLY.directReplyTo,
    (message: ConsumeMessage | null) => {
      if (!message) return;
      replies.set(String(message.properties.correlationId), {
        status: message.properties.headers?.[REPLY.statusHeader],
        body: JSON.parse(message.content.toString()),
        at: Date.now(),
      });
    },
    { noAck: true },
  );
  return {
    replies,
    async ask(queue, body, id) {
      channel.publish('', queue, Buffer.from(JSON.stringify(body)), {
        replyTo: REPLY.directReplyTo,
        correlationId: id,
        messageId: id,
        contentType: 'application/json',
      });
      await channel.waitForConfirms();
    },
  };
}

async function requestQueue(delays: string[]) {
  const queue = uniqueName('con-reply');
  const topology = await fx.declare({ queues: { [queue]: { retry: { delays }, deadLetter: true } } });
  const contract = defineContract({
    exchange: '',
    routingKey: queue,
    queue,
    schema: z.object({ id: z.number() }),
    reply: z.object({ double: z.number() }),
  });
  return { queue, topology, contract };
}

describe('consumer replies to requests (replyTo)', () => {
  it("sends the handler's result, validated by the reply schema, with the correlation id, then acks", async () => {
    const { queue, topology, contract } = await requestQueue(['200ms']);
    const consumer = fx.consumer(topology);
    await consumer.consume(contract, (request) => ({ double: request.id * 2 }));
    const { ask, replies } = await caller();
    await Promise.all([1, 2, 3].map((id) => ask(queue, { id }, `r${id}`)));
    await until('3 replies', () => replies.size === 3);
    expect([...replies.entries()].sort()).toEqual([
      ['r1', { status: 'ok', body: { double: 2 }, at: expect.any(Number) }],
      ['r2', { status: 'ok', body: { double: 4 }, at: expect.any(Number) }],
      ['r3', { status: 'ok', body: { double: 6 }, at: expect.any(Number) }],
    ]);
    await until('acked', () => consumer.stats().acked === 3);
    expect(await fx.depth(queue)).toBe(0);
  });

  it('sends nothing while retries remain, then a RemoteFailure with the error code once they are used up', async () => {
    const { queue, topology, contract } = await requestQueue(['300ms']);
    const consumer = fx.consumer(topology);
    const attempts: number[] = [];
    await consumer.consume(contract, (_request, ctx) => {
      attempts.push(ctx.attempt);
      throw Object.assign(new Error('the post store is down'), { code: 'STORE_DOWN' });
    });
    const { ask, replies } = await caller();
    const sent = Date.now();
    await ask(queue, { id: 1 }, 'e1');
    await until('a reply', () => replies.has('e1'));
    expect(attempts).toEqual([1, 2]);
    expect(replies.get('e1')!.at - sent).toBeGreaterThanOrEqual(300); // not before the retry tier
    const failure = replies.get('e1')!.body as RemoteFailure;
    expect(replies.get('e1')!.status).toBe('error');
    expect(failure).toEqual({ code: 'STORE_DOWN', message: 'the post store is down', reason: 'retries-exhausted' });
    await until('dead-lettered', () => consumer.stats().deadLettered.total === 1);
  });

  it('answers a NonRetryableError at once with its remoteCode, and the stack only when asked', async () => {
    const { queue, topology, contract } = await requestQueue(['10s']);
    const consumer = fx.consumer(topology);
    await consumer.consume(
      contract,
      (request) => {
        throw new NonRetryableError(`post ${request.id} does not exist`, { remoteCode: 'POST_NOT_FOUND' });
      },
      { replyErrorStack: true },
    );
    const { ask, replies } = await caller();
    await ask(queue, { id: 9 }, 'n1');
    await until('a reply', () => replies.has('n1'));
    const failure = replies.get('n1')!.body as RemoteFailure;
    expect(failure).toMatchObject({
      code: 'POST_NOT_FOUND',
      message: 'post 9 does not exist',
      reason: 'non-retryable',
    });
    expect(failure.stack).toContain('NonRetryableError');
  });

  it('dead-letters a result that fails the reply schema and answers INVALID_REPLY', async () => {
    const { queue, topology, contract } = await requestQueue(['10s']);
    const consumer = fx.consumer(topology);
    await consumer.consume(contract, () => ({ double: 'two' }) as unknown as { double: number });
    const { ask, replies } = await caller();
    await ask(queue, { id: 1 }, 'i1');
    await until('a reply', () => replies.has('i1'));
    expect(replies.get('i1')).toMatchObject({
      status: 'error',
      body: { code: 'INVALID_REPLY', reason: 'non-retryable' },
    });
    await until('dead-lettered', () => consumer.stats().deadLettered.total === 1);
    await sleep(100);
    expect(consumer.stats().acked).toBe(0);
  });
});
