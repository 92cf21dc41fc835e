import type { Message } from 'amqplib';
import { HEADERS } from '@warren/core';
import type { WorkQueueLayout } from '@warren/topology';
import { deliveryCountOf } from '../src/delivery-count';
import { planFailure } from '../src/handoff';

const layout: WorkQueueLayout = {
  queue: 'billing',
  type: 'quorum',
  retryTiers: [{ delayMs: 200, queue: 'billing.retry.200ms' }],
  deadLetterQueue: 'billing.dlq',
  deadLetterExchange: 'billing.dlx',
};

const message = (headers: Record<string, unknown>): Message =>
  ({
    content: Buffer.from('{}'),
    fields: { exchange: 'orders', routingKey: 'order.created', redelivered: true, deliveryTag: 1 },
    properties: { headers, contentType: 'application/json' },
  }) as unknown as Message;

describe('deliveryCountOf', () => {
  it.each([
    [{ 'x-delivery-count': 2 }, 2],
    [{ 'x-delivery-count': '3' }, 3],
    [{}, 0],
    [{ 'x-delivery-count': -1 }, 0],
    [{ 'x-delivery-count': 'many' }, 0],
  ])('reads %p as %p', (headers, count) => {
    expect(deliveryCountOf(headers)).toBe(count);
  });
});

describe('a retry copy', () => {
  it("does not carry the old copy's x-delivery-count (the broker counts each copy afresh)", () => {
    const plan = planFailure(message({ 'x-delivery-count': 2 }), layout, { error: 'boom' }, new Date());
    expect(plan?.kind).toBe('retry');
    expect(plan?.options.headers).not.toHaveProperty('x-delivery-count');
    expect(plan?.options.headers).toMatchObject({ [HEADERS.attempt]: 2 });
  });
});
