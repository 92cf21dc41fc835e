import type { GetMessage, XDeath } from 'amqplib';
import { describeParked, replayProperties } from '../src/dead-letters/parked';
import { HEADERS } from '@warren/core';

function message(properties: Partial<GetMessage['properties']>, content = 'hello'): GetMessage {
  return {
    content: Buffer.from(content),
    fields: { deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'q.dlq', messageCount: 0 },
    properties: { headers: {}, ...properties } as GetMessage['properties'],
  };
}

describe('describeParked', () => {
  it('reads the x-warren-* headers of a message a Warren consumer parked', () => {
    const parked = describeParked(
      message({
        messageId: 'm-1',
        contentType: 'application/json',
        headers: {
          [HEADERS.reason]: 'handler-error',
          [HEADERS.error]: 'boom',
          [HEADERS.attempt]: 4,
          [HEADERS.firstFailureAt]: '2026-01-01T00:00:00.000Z',
          [HEADERS.lastFailureAt]: '2026-01-01T00:01:00.000Z',
          [HEADERS.originalExchange]: 'orders',
          [HEADERS.originalRoutingKey]: 'order.created',
        },
      }),
    );
    expect(parked).toEqual({
      messageId: 'm-1',
      source: 'warren',
      reason: 'handler-error',
      error: 'boom',
      attempts: 4,
      firstFailureAt: '2026-01-01T00:00:00.000Z',
      lastFailureAt: '2026-01-01T00:01:00.000Z',
      originalExchange: 'orders',
      originalRoutingKey: 'order.created',
      deaths: [],
      contentType: 'application/json',
      bytes: 5,
    });
  });

  it('falls back to x-death for a broker-side dead letter (most recent entry first)', () => {
    const parked = describeParked(
      message({
        // amqplib's XDeath type is narrower than what brokers send (delivery_limit, numeric times).
        headers: {
          'x-death': [
            {
              queue: 'q',
              reason: 'delivery_limit',
              count: 1,
              exchange: 'orders',
              'routing-keys': ['a.b'],
              time: 1_700_000_100,
            },
            {
              queue: 'q',
              reason: 'rejected',
              count: 2,
              exchange: 'orders',
              'routing-keys': ['a.b'],
              time: { '!': 'timestamp', value: 1_700_000_000 },
            },
          ] as unknown as XDeath[],
        },
      }),
    );
    expect(parked).toMatchObject({
      messageId: null,
      source: 'broker',
      reason: 'delivery_limit',
      attempts: 1,
      originalExchange: 'orders',
      originalRoutingKey: 'a.b',
      firstFailureAt: new Date(1_700_000_000_000).toISOString(),
      lastFailureAt: new Date(1_700_000_100_000).toISOString(),
    });
    expect(parked.deaths).toHaveLength(2);
  });

  it('decodes header values amqplib hands over as buffers', () => {
    expect(describeParked(message({ headers: { [HEADERS.reason]: Buffer.from('timeout') } })).reason).toBe('timeout');
  });
});

describe('replayProperties', () => {
  it('keeps messageId and the payload properties, drops failure headers, expiration and userId, publishes mandatory', () => {
    const properties = replayProperties(
      message({
        messageId: 'm-1',
        contentType: 'application/json',
        deliveryMode: 2,
        expiration: '1000',
        userId: 'publisher',
        headers: {
          [HEADERS.attempt]: 4,
          [HEADERS.error]: 'boom',
          [HEADERS.reason]: 'handler-error',
          [HEADERS.queue]: 'q',
          [HEADERS.firstFailureAt]: 'x',
          [HEADERS.lastFailureAt]: 'y',
          [HEADERS.originalRoutingKey]: 'order.created',
          'x-death': [],
          'x-first-death-reason': 'rejected',
          'x-delivery-count': 3,
          tenant: 'acme',
        },
      }),
    );
    expect(properties).toEqual({
      messageId: 'm-1',
      contentType: 'application/json',
      deliveryMode: 2,
      mandatory: true,
      headers: { [HEADERS.originalRoutingKey]: 'order.created', tenant: 'acme' },
    });
  });
});
