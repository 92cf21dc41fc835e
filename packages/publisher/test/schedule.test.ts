import { HEADERS, InvalidDelayError, MAX_DELAY_MS } from '@warren/core';
import { scheduleDestination } from '../src/schedule';

const NOW = Date.UTC(2026, 0, 1);

describe('scheduleDestination', () => {
  it('leaves a message without delay, or due now, on its own exchange and key', () => {
    const options = { messageId: 'm' };
    expect(scheduleDestination('orders', 'k', options, NOW)).toEqual({ exchange: 'orders', routingKey: 'k', options });
    expect(scheduleDestination('orders', 'k', { notBefore: new Date(NOW - 1) }, NOW)).toMatchObject({
      exchange: 'orders',
    });
  });

  it('routes a delayed message into the ladder, keeping its headers and adding its origin', () => {
    const to = scheduleDestination('orders', 'order.created', { delay: '3s', headers: { a: 1 } }, NOW);
    expect(to).toMatchObject({
      exchange: 'warren.delay.level.01',
      options: {
        delay: '3s',
        headers: { a: 1, [HEADERS.originalExchange]: 'orders', [HEADERS.originalRoutingKey]: 'order.created' },
      },
    });
    expect(scheduleDestination('o', 'k', { notBefore: new Date(NOW + 2_500) }, NOW)).toMatchObject({
      exchange: 'warren.delay.level.01', // 3 s: rounded up, never early
    });
  });

  it('returns INVALID_DELAY for too long, both options, expiration, or a bad Date', () => {
    const cases = [
      { delay: MAX_DELAY_MS + 1_000 },
      { delay: '1s', notBefore: new Date(NOW + 5_000) },
      { delay: '1s', expiration: 1_000 },
      { notBefore: new Date(Number.NaN) },
    ];
    for (const options of cases) expect(scheduleDestination('o', 'k', options, NOW)).toBeInstanceOf(InvalidDelayError);
  });
});
