// The claim state machine of consume(…, { idempotency }), on a fake channel with the memory store.
import { EventEmitter } from 'node:events';
import { HEADERS } from '@warren/core';
import type { WorkQueueLayout } from '@warren/topology';
import type { ConsumerEvents, DuplicateEvent } from '../../src/events';
import type { Handler } from '../../src/handler';
import { idempotentHandler } from '../../src/idempotency/gate';
import { MemoryIdempotencyStore } from '../../src/idempotency/memory-store';
import { resolveIdempotency, type IdempotencyOptions } from '../../src/idempotency/options';
import type { IdempotencyStore } from '../../src/idempotency/store';
import { StatsRecorder } from '../../src/stats';
import { Subscription } from '../../src/subscription';
import { FakeChannel, tick } from '../fakeChannel';

const layout: WorkQueueLayout = {
  queue: 'billing',
  type: 'quorum',
  retryTiers: [{ delayMs: 200, queue: 'billing.retry.200ms' }],
  deadLetterQueue: 'billing.dlq',
  deadLetterExchange: 'billing.dlx',
};

async function setup(handler: Handler<unknown, unknown>, idempotency: IdempotencyOptions<never, unknown>) {
  const events = new EventEmitter<ConsumerEvents>();
  const stats = new StatsRecorder();
  const duplicates: DuplicateEvent[] = [];
  events.on('duplicate', (event) => duplicates.push(event));
  const channel = new FakeChannel();
  const resolved = resolveIdempotency(idempotency, undefined);
  const subscription = new Subscription({
    layout,
    schema: undefined,
    handler: idempotentHandler(handler, resolved, layout.queue, events, stats),
    prefetch: 10,
    handlerTimeoutMs: undefined,
    retryDelayMs: 5,
    openChannel: () => Promise.resolve(channel),
    events,
    stats,
  });
  await subscription.open();
  return { channel, stats, events, duplicates, subscription };
}

describe('idempotent consume (memory store)', () => {
  it('runs the handler once per messageId and acks the duplicate without it, counting it', async () => {
    const calls: string[] = [];
    const { channel, stats, duplicates } = await setup((_p, ctx) => void calls.push(ctx.messageId!), {
      store: new MemoryIdempotencyStore(),
    });
    const first = channel.deliver({ n: 1 }, { messageId: 'm-1' });
    await tick();
    const second = channel.deliver({ n: 1 }, { messageId: 'm-1' });
    await tick();
    expect(calls).toEqual(['m-1']);
    expect(channel.acks).toEqual([first, second]);
    expect(stats.snapshot(0)).toMatchObject({ delivered: 2, acked: 2, duplicates: 1 });
    expect(duplicates).toEqual([{ queue: 'billing', messageId: 'm-1', key: 'm-1' }]);
  });

  it('never runs a key twice at once: a delivery of a busy key waits, unacked, and is acked as a duplicate', async () => {
    let finish!: () => void;
    const calls: string[] = [];
    const { channel, stats } = await setup(
      (_p, ctx) => {
        calls.push(ctx.messageId!);
        return new Promise<void>((resolve) => (finish = resolve));
      },
      { store: new MemoryIdempotencyStore() },
    );
    const first = channel.deliver({}, { messageId: 'm-1' });
    const second = channel.deliver({}, { messageId: 'm-1' });
    await tick(20);
    expect(calls).toEqual(['m-1']);
    expect(channel.acks).toEqual([]);
    // Held here, not requeued: every requeue counts against a quorum queue's delivery limit.
    expect(channel.nacks).toEqual([]);
    finish();
    await tick(250);
    expect(calls).toEqual(['m-1']);
    expect(channel.acks).toEqual([first, second]);
    expect(channel.published).toEqual([]); // not a retry: no attempt used up
    expect(stats.snapshot(0)).toMatchObject({ duplicates: 1, requeued: 0 });
  });

  it('requeues a delivery whose key stays busy for a whole lease, without running or acking it', async () => {
    const calls: string[] = [];
    let claims = 0;
    // Another worker keeps the key (it claimed it again after its lease): every claim answers busy.
    const alwaysBusy = {
      claim: () => Promise.resolve((claims++, 'busy' as const)),
      complete: () => Promise.resolve(),
      release: () => Promise.resolve(),
    };
    const { channel, stats } = await setup((_p, ctx) => void calls.push(ctx.messageId!), {
      store: alwaysBusy,
      leaseMs: 150,
    });
    const message = channel.deliver({}, { messageId: 'm-1' });
    await tick(100);
    expect(channel.nacks).toEqual([]);
    await tick(300);
    expect(calls).toEqual([]);
    expect(claims).toBeGreaterThan(1); // claimed again while held
    expect(channel.acks).toEqual([]);
    expect(channel.nacks).toEqual([{ message, requeue: true }]);
    expect(channel.published).toEqual([]);
    expect(stats.requeued).toBe(1);
  });

  it('releases the claim when the handler fails, so the retried message runs again', async () => {
    let failures = 1;
    const calls: number[] = [];
    const { channel } = await setup(
      (_p, ctx) => {
        calls.push(ctx.attempt);
        if (failures-- > 0) throw new Error('database down');
      },
      { store: new MemoryIdempotencyStore() },
    );
    const first = channel.deliver({}, { messageId: 'm-1' });
    await tick();
    expect(channel.published).toHaveLength(1);
    const retry = channel.published[0]!;
    expect(retry.routingKey).toBe('billing.retry.200ms');
    retry.confirm();
    expect(channel.acks).toEqual([first]);
    channel.deliver({}, { messageId: 'm-1', headers: retry.options.headers });
    await tick();
    expect(calls).toEqual([1, 2]);
    expect(channel.acks).toHaveLength(2);
  });

  it('dead-letters a message without a key (non-retryable) without running the handler', async () => {
    const handler = jest.fn();
    const { channel } = await setup(handler, { store: new MemoryIdempotencyStore() });
    channel.deliver({ n: 1 });
    await tick();
    expect(handler).not.toHaveBeenCalled();
    expect(channel.published).toHaveLength(1);
    const headers = channel.published[0]!.options.headers as Record<string, unknown>;
    expect(channel.published[0]!.exchange).toBe('billing.dlx');
    expect(headers[HEADERS.reason]).toBe('non-retryable');
    expect(headers[HEADERS.error]).toMatch(/no idempotency key \(no messageId\).*idempotency\.key/);
  });

  it('uses the key function, prefixed with the queue', async () => {
    const store = new MemoryIdempotencyStore();
    const claim = jest.spyOn(store, 'claim');
    const calls: unknown[] = [];
    const { channel, stats } = await setup((payload) => void calls.push(payload), {
      store,
      key: (payload: { orderId: string }) => payload.orderId,
    });
    channel.deliver({ orderId: 'o-1' }, { messageId: 'a' });
    await tick();
    channel.deliver({ orderId: 'o-1' }, { messageId: 'b' });
    await tick();
    expect(calls).toEqual([{ orderId: 'o-1' }]);
    expect(stats.duplicates).toBe(1);
    expect(claim.mock.calls[0]![0]).toBe('billing:o-1');
  });

  it('requeues (never runs the handler, never acks) when the store cannot claim', async () => {
    const store: IdempotencyStore = {
      claim: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
      complete: () => Promise.resolve(),
      release: () => Promise.resolve(),
    };
    const handler = jest.fn();
    const warnings: string[] = [];
    const { channel, events } = await setup(handler, { store });
    events.on('warning', (w) => warnings.push(w.message));
    const message = channel.deliver({}, { messageId: 'm-1' });
    await tick(20);
    expect(handler).not.toHaveBeenCalled();
    expect(channel.acks).toEqual([]);
    expect(channel.nacks).toEqual([{ message, requeue: true }]);
    expect(warnings.join()).toContain('ECONNREFUSED');
  });

  it('retries with IDEMPOTENCY_STORE_FAILED when the done-mark cannot be written', async () => {
    const memory = new MemoryIdempotencyStore();
    const store: IdempotencyStore = {
      claim: (key, terms) => memory.claim(key, terms),
      complete: () => Promise.reject(new Error('READONLY')),
      release: (claim) => memory.release(claim),
    };
    const { channel } = await setup(() => undefined, { store });
    channel.deliver({}, { messageId: 'm-1' });
    await tick();
    expect(channel.acks).toEqual([]);
    expect(channel.published).toHaveLength(1);
    const headers = channel.published[0]!.options.headers as Record<string, unknown>;
    expect(headers[HEADERS.error]).toMatch(/failed to mark key 'm-1' done: READONLY/);
  });

  it.each([
    [{ store: {} }, /idempotency\.store must be an IdempotencyStore/],
    [{ store: new MemoryIdempotencyStore(), ttlMs: 0 }, /idempotency\.ttlMs/],
    [{ store: new MemoryIdempotencyStore(), leaseMs: 1.5 }, /idempotency\.leaseMs/],
    [{ store: new MemoryIdempotencyStore(), key: 'orderId' }, /idempotency\.key must be a function/],
  ])('refuses bad options with INVALID_OPTION (%#)', (options, message) => {
    expect(() => resolveIdempotency(options as never, undefined)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(message) }),
    );
  });

  it('refuses a lease not longer than handlerTimeoutMs, and defaults it to twice that', () => {
    const store = new MemoryIdempotencyStore();
    expect(() => resolveIdempotency({ store, leaseMs: 5_000 }, 5_000)).toThrow(/must be longer than handlerTimeoutMs/);
    expect(resolveIdempotency({ store }, 100_000).leaseMs).toBe(200_000);
    expect(resolveIdempotency({ store }, undefined)).toMatchObject({ leaseMs: 60_000, ttlMs: 86_400_000 });
  });
});
