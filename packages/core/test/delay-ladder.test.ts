import {
  DELAY_LEVELS,
  delayRoute,
  deliveryPattern,
  exchangeWord,
  InvalidDelayError,
  levelPattern,
  MAX_DELAY_MS,
  parseDelayOption,
} from '../src';

const bits = (key: string): string => key.split('.').slice(0, DELAY_LEVELS).join('');

describe('delay ladder arithmetic', () => {
  it('spells the delay in whole seconds, rounded up, and enters at the highest 1 bit', () => {
    const route = delayRoute(90_000, 'orders', 'order.created')!;
    expect(route.seconds).toBe(90);
    expect(parseInt(bits(route.routingKey), 2)).toBe(90);
    expect(route.routingKey.endsWith('.orders.order.created')).toBe(true);
    expect(route.exchange).toBe('warren.delay.level.06'); // 64 <= 90 < 128
    expect(delayRoute(1, 'x', 'k')).toMatchObject({ seconds: 1, exchange: 'warren.delay.level.00' });
    expect(delayRoute(1_001, 'x', 'k')).toMatchObject({ seconds: 2, exchange: 'warren.delay.level.01' });
  });

  it('publishes at once for a delay of 0 or less', () => {
    expect(delayRoute(0, 'x', 'k')).toBeUndefined();
    expect(delayRoute(-5_000, 'x', 'k')).toBeUndefined();
  });

  it('holds 30 days, and refuses one second more than the maximum with INVALID_DELAY naming it', () => {
    expect(delayRoute(30 * 86_400_000, 'x', 'k')?.exchange).toBe('warren.delay.level.21');
    expect(delayRoute(MAX_DELAY_MS, 'x', 'k')?.seconds).toBe(2 ** DELAY_LEVELS - 1);
    const tooLong = (): unknown => delayRoute(MAX_DELAY_MS + 1, 'x', 'k');
    expect(tooLong).toThrow(InvalidDelayError);
    expect(tooLong).toThrow(`maximum of ${MAX_DELAY_MS} ms`);
  });

  it('refuses a key longer than 255 bytes', () => {
    expect(() => delayRoute(1_000, 'x', 'k'.repeat(220))).toThrow(/255/);
  });

  it('encodes the exchange as one literal word', () => {
    expect(exchangeWord('')).toBe('amq%2Edefault');
    expect(exchangeWord('a.b%*#')).toBe('a%2Eb%25%2A%23');
    expect(deliveryPattern('orders', 'order.*').split('.')).toHaveLength(DELAY_LEVELS + 3);
  });

  it('puts level n on word DELAY_LEVELS - 1 - n', () => {
    expect(levelPattern(DELAY_LEVELS - 1, 1)).toBe('1.#');
    expect(levelPattern(0, 0).split('.')).toEqual([...Array<string>(DELAY_LEVELS - 1).fill('*'), '0', '#']);
  });

  it('parses 90s, 15m, 2h, 30d, 500ms, 1.5h and numbers strictly', () => {
    expect(['90s', '15m', '2h', '30d', '500ms', '1.5h'].map(parseDelayOption)).toEqual([
      90_000, 900_000, 7_200_000, 2_592_000_000, 500, 5_400_000,
    ]);
    expect(parseDelayOption(1_000)).toBe(1_000);
    for (const bad of ['10', '1 y', '-1s', 's', '1w', Number.NaN, -1])
      expect(() => parseDelayOption(bad)).toThrow(InvalidDelayError);
  });
});
