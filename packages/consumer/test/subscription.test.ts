import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { HEADERS } from '@warren/core';
import { type WorkQueueLayout } from '@warren/topology';
import { NonRetryableError } from '../src/errors';
import type { ConsumerEvents } from '../src/events';
import type { MessageContext } from '../src/context';
import { StatsRecorder } from '../src/stats';
import type { Handler } from '../src/handler';
import { Subscription } from '../src/subscription';
import { FakeChannel, tick } from './fakeChannel';

const layout: WorkQueueLayout = {
  queue: 'billing',
  type: 'quorum',
  retryTiers: [
    { delayMs: 200, queue: 'billing.retry.200ms' },
    { delayMs: 400, queue: 'billing.retry.400ms' },
  ],
  deadLetterQueue: 'billing.dlq',
  deadLetterExchange: 'billing.dlx',
};

interface Setup {
  handler?: Handler<unknown, unknown>;
  layout?: WorkQueueLayout;
  schema?: z.ZodType;
  handlerTimeoutMs?: number;
}

async function setup(options: Setup = {}) {
  const channels: FakeChannel[] = [];
  const events = new EventEmitter<ConsumerEvents>();
  const stats = new StatsRecorder();
  const subscription = new Subscription({
    layout: options.layout ?? layout,
    schema: options.schema,
    handler: options.handler ?? (() => undefined),
    prefetch: 7,
    handlerTimeoutMs: options.handlerTimeoutMs,
    retryDelayMs: 5,
    openChannel: () => {
      const channel = new FakeChannel();
      channels.push(channel);
      return Promise.resolve(channel);
    },
    events,
    stats,
  });
  await subscription.open();
  return { subscription, channels, channel: channels[0]!, events, stats };
}

const failing = (): never => {
  throw new Error('database down');
};

describe('Subscription', () => {
  it('subscribes with its prefetch and acks once when the handler resolves', async () => {
    const { channel, stats, subscription } = await setup({ handler: async () => undefined });
    expect(channel.prefetchCount).toBe(7);
    expect(channel.consumedQueue).toBe('billing');
    await expect(subscription.ready).resolves.toBeUndefined();
    const message = channel.deliver({ id: 1 });
    expect(channel.acks).toEqual([]);
    await tick();
    expect(channel.acks).toEqual([message]);
    expect(stats.snapshot(subscription.inFlight.size)).toMatchObject({ delivered: 1, acked: 1, inFlight: 0 });
  });

  it('gives the handler the payload and a context', async () => {
    const seen: { payload: unknown; context: Partial<MessageContext> }[] = [];
    const { channel } = await setup({
      handler: (payload, c) => {
        const { messageId, attempt, redelivered, exchange, routingKey, queue, headers } = c;
        seen.push({ payload, context: { messageId, attempt, redelivered, exchange, routingKey, queue, headers } });
      },
    });
    const headers = {
      [HEADERS.attempt]: 3,
      [HEADERS.originalExchange]: 'orders',
      [HEADERS.originalRoutingKey]: 'order.paid',
    };
    channel.deliver({ id: 1 }, { messageId: 'm-1', headers }, true);
    expect(seen).toEqual([
      {
        payload: { id: 1 },
        context: {
          messageId: 'm-1',
          attempt: 3,
          redelivered: true,
          exchange: 'orders',
          routingKey: 'order.paid',
          queue: 'billing',
          headers,
        },
      },
    ]);
  });

  it('retries a failure through the tier for its attempt, acking only after the confirm', async () => {
    const { channel, stats, events } = await setup({ handler: failing });
    const retried = jest.fn();
    events.on('retried', retried);
    const message = channel.deliver(
      { id: 1 },
      { messageId: 'm-1', headers: { 'x-death': [{ count: 1 }], custom: 'kept' } as never },
    );
    await tick();
    expect(channel.published).toHaveLength(1);
    const [publish] = channel.published;
    expect(publish).toMatchObject({ exchange: '', routingKey: 'billing.retry.200ms' });
    expect(publish!.content.toString()).toBe('{"id":1}');
    expect(publish!.options).toMatchObject({ messageId: 'm-1', persistent: true, mandatory: true });
    const headers = publish!.options.headers as Record<string, unknown>;
    expect(headers).toMatchObject({
      custom: 'kept',
      [HEADERS.attempt]: 2,
      [HEADERS.error]: 'database down',
      [HEADERS.originalExchange]: 'orders',
      [HEADERS.originalRoutingKey]: 'order.created',
      [HEADERS.queue]: 'billing',
    });
    expect(headers['x-death']).toBeUndefined();
    expect(headers[HEADERS.firstFailureAt]).toBe(headers[HEADERS.lastFailureAt]);
    expect(channel.acks).toEqual([]);
    publish!.confirm();
    expect(channel.acks).toEqual([message]);
    expect(retried).toHaveBeenCalledWith(expect.objectContaining({ tier: 0, delayMs: 200, attempt: 1 }));
    expect(stats.snapshot(0).retried).toEqual({ total: 1, byTier: { '200ms': 1 } });
  });

  it('keeps the first failure time and uses the next tier on the second attempt', async () => {
    const { channel } = await setup({ handler: failing });
    const first = '2020-01-01T00:00:00.000Z';
    channel.deliver({}, { headers: { [HEADERS.attempt]: 2, [HEADERS.firstFailureAt]: first } });
    await tick();
    expect(channel.published[0]!.routingKey).toBe('billing.retry.400ms');
    expect(channel.published[0]!.options.headers).toMatchObject({
      [HEADERS.attempt]: 3,
      [HEADERS.firstFailureAt]: first,
    });
  });

  it('dead-letters after 1 + tiers attempts with the reason and error headers', async () => {
    const { channel, stats, events } = await setup({ handler: failing });
    const deadLettered = jest.fn();
    events.on('deadLettered', deadLettered);
    const headers = {
      [HEADERS.attempt]: 3,
      [HEADERS.originalExchange]: 'orders',
      [HEADERS.originalRoutingKey]: 'order.created',
    };
    const message = channel.deliver({}, { headers });
    await tick();
    const [publish] = channel.published;
    expect(publish).toMatchObject({ exchange: 'billing.dlx', routingKey: 'order.created' });
    expect(publish!.options.headers).toMatchObject({
      [HEADERS.attempt]: 3,
      [HEADERS.reason]: 'retries-exhausted',
      [HEADERS.error]: 'database down',
    });
    publish!.confirm();
    expect(channel.acks).toEqual([message]);
    expect(deadLettered).toHaveBeenCalledWith(expect.objectContaining({ reason: 'retries-exhausted', attempt: 3 }));
    expect(stats.snapshot(0).deadLettered).toEqual({ total: 1, byReason: { 'retries-exhausted': 1 } });
  });

  it.each([
    ['invalid-json', '{"id":', {}],
    ['unknown-content-type', '{}', { contentType: 'text/plain' }],
    ['unknown-content-type', '{}', { contentEncoding: 'gzip' }],
    ['schema-validation', '{"id":"x"}', {}],
  ])('dead-letters %s at once without calling the handler', async (reason, body, properties) => {
    const handler = jest.fn();
    const { channel } = await setup({ handler, schema: z.object({ id: z.number() }) });
    channel.deliver(body, properties);
    await tick();
    expect(handler).not.toHaveBeenCalled();
    expect(channel.published[0]).toMatchObject({ exchange: 'billing.dlx' });
    expect(channel.published[0]!.options.headers).toMatchObject({ [HEADERS.reason]: reason, [HEADERS.attempt]: 1 });
  });

  it('passes the schema output to the handler', async () => {
    const handler = jest.fn();
    const { channel } = await setup({ handler, schema: z.object({ n: z.coerce.number() }) });
    channel.deliver({ n: '4', extra: true });
    expect(handler).toHaveBeenCalledWith({ n: 4 }, expect.anything());
  });

  it('dead-letters a NonRetryableError at the first attempt', async () => {
    const { channel } = await setup({
      handler: () => Promise.reject(new NonRetryableError('order 9 does not exist')),
    });
    channel.deliver({});
    await tick();
    expect(channel.published[0]!.options.headers).toMatchObject({
      [HEADERS.reason]: 'non-retryable',
      [HEADERS.error]: 'order 9 does not exist',
    });
  });

  it('truncates long errors', async () => {
    const { channel } = await setup({ handler: () => Promise.reject(new Error('x'.repeat(5000))) });
    channel.deliver({});
    await tick();
    expect((channel.published[0]!.options.headers as Record<string, string>)[HEADERS.error]).toHaveLength(1000);
  });

  it('requeues (nack) after a pause when the broker nacks the hand-off, never acks', async () => {
    const { channel, stats } = await setup({ handler: failing });
    const message = channel.deliver({});
    await tick();
    channel.published[0]!.confirm(new Error('nacked'));
    expect(channel.nacks).toEqual([]);
    await tick(20);
    expect(channel.acks).toEqual([]);
    expect(channel.nacks).toEqual([{ message, requeue: true }]);
    expect(stats.requeued).toBe(1);
  });

  it('requeues when the broker returns the hand-off as unroutable (missing tier queue)', async () => {
    const { channel } = await setup({ handler: failing });
    const message = channel.deliver({}, { messageId: 'm-7' });
    await tick();
    channel.returnLast();
    channel.published[0]!.confirm();
    await tick(20);
    expect(channel.acks).toEqual([]);
    expect(channel.nacks).toEqual([{ message, requeue: true }]);
  });

  it('requeues a failure when there is no tier left and no dead-letter queue', async () => {
    const noDlq = { ...layout, retryTiers: [], deadLetterQueue: null, deadLetterExchange: null };
    const { channel } = await setup({ handler: failing, layout: noDlq });
    const message = channel.deliver({});
    await tick(20);
    expect(channel.published).toEqual([]);
    expect(channel.nacks).toEqual([{ message, requeue: true }]);
  });

  it('settles nothing on a channel that died, aborts the handler, and reopens with the prefetch', async () => {
    let finish!: () => void;
    let signal!: AbortSignal;
    const { channel, channels, subscription } = await setup({
      handler: (_payload, context) => {
        signal = context.signal;
        return new Promise<void>((resolve) => (finish = resolve));
      },
    });
    channel.deliver({});
    await channel.close();
    expect(signal.aborted).toBe(true);
    finish();
    await tick(20);
    expect(channel.acks).toEqual([]);
    expect(channels).toHaveLength(2);
    expect(channels[1]!.prefetchCount).toBe(7);
    expect(channels[1]!.consumedQueue).toBe('billing');
    expect(channels[1]!.acks).toEqual([]);
    expect(subscription.inFlight.size).toBe(0);
  });

  it('does not ack when the channel dies while the hand-off awaits its confirm', async () => {
    const { channel, channels } = await setup({ handler: failing });
    channel.deliver({});
    await tick();
    await channel.close();
    await tick(20);
    expect(channel.acks).toEqual([]);
    expect(channels[1]!.acks).toEqual([]);
    expect(channels[1]!.nacks).toEqual([]);
  });

  it('times out a handler: aborts its signal, retries once, ignores its late return', async () => {
    let signal!: AbortSignal;
    let finish!: () => void;
    const { channel } = await setup({
      handlerTimeoutMs: 10,
      handler: (_payload, context) => {
        signal = context.signal;
        return new Promise<void>((resolve) => (finish = resolve));
      },
    });
    const message = channel.deliver({});
    await tick(30);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as { code: string }).code).toBe('HANDLER_TIMEOUT');
    expect(channel.published).toHaveLength(1);
    channel.published[0]!.confirm();
    finish();
    await tick();
    expect(channel.acks).toEqual([message]);
  });

  it('pauses (cancels the consumer) and resumes', async () => {
    const { channel, subscription } = await setup();
    await subscription.pause();
    expect(channel.cancelled).toEqual(['tag-1']);
    await subscription.resume();
    expect(channel.onMessage).toBeDefined();
  });

  it('reports a broker cancel and re-subscribes', async () => {
    const { channel, events } = await setup();
    const cancelled = jest.fn();
    const subscribed = jest.fn();
    events.on('cancelled', cancelled).on('subscribed', subscribed);
    channel.onMessage!(null);
    expect(cancelled).toHaveBeenCalledWith({ queue: 'billing' });
    await tick(20);
    expect(subscribed).toHaveBeenCalledWith({ queue: 'billing', prefetch: 7 });
  });

  it('stops intake, waits for in-flight handlers, then aborts the rest on close', async () => {
    const signals: AbortSignal[] = [];
    let finishFirst!: () => void;
    const { channel, subscription } = await setup({
      handler: (_payload, context) => {
        signals.push(context.signal);
        return new Promise<void>((resolve) => (finishFirst ??= resolve));
      },
    });
    const first = channel.deliver({});
    channel.deliver({});
    await subscription.stopIntake();
    expect(channel.cancelled).toEqual(['tag-1']);
    let idle = false;
    void subscription.idle().then(() => (idle = true));
    finishFirst();
    await tick();
    expect(channel.acks).toEqual([first]);
    expect(idle).toBe(false);
    await subscription.abortAndClose();
    expect(signals.map((s) => s.aborted)).toEqual([false, true]);
    expect(channel.closed).toBe(true);
  });

  it('sends the acks of one event-loop turn as one multiple ack, below the lowest outstanding tag', async () => {
    const finishers: (() => void)[] = [];
    const { channel } = await setup({ handler: () => new Promise<void>((resolve) => finishers.push(resolve)) });
    for (let i = 0; i < 5; i++) channel.deliver({ i });
    finishers[1]!();
    finishers[2]!();
    await tick();
    expect(channel.ackFrames).toEqual([
      { tag: 2, multiple: false },
      { tag: 3, multiple: false },
    ]);
    finishers[0]!();
    finishers[3]!();
    await tick();
    expect(channel.ackFrames.slice(2)).toEqual([{ tag: 4, multiple: true }]);
    finishers[4]!();
    await tick();
    expect(channel.ackFrames.slice(3)).toEqual([{ tag: 5, multiple: true }]);
  });

  it('never covers a delivery whose hand-off awaits its confirm with a multiple ack', async () => {
    const { channel } = await setup({ handler: (payload) => (payload as { fail: boolean }).fail && failing() });
    channel.deliver({ fail: true });
    channel.deliver({ fail: false });
    await tick();
    expect(channel.ackFrames).toEqual([{ tag: 2, multiple: false }]);
    channel.published[0]!.confirm();
    expect(channel.ackFrames).toEqual([
      { tag: 2, multiple: false },
      { tag: 1, multiple: false },
    ]);
  });
});
