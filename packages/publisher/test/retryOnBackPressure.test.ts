import { WarrenError } from '@warren/core';
import { BrokerBusyError, retryOnBackPressure, UnroutableError } from '../src';

const busy = (retryAfterMs = 10): BrokerBusyError => new BrokerBusyError('BROKER_BUSY', 'full', retryAfterMs);

afterEach(() => jest.restoreAllMocks());

describe('retryOnBackPressure', () => {
  it('retries while the call fails with a BackPressureError, then resolves with its result', async () => {
    const fn = jest
      .fn<Promise<string>, [number]>()
      .mockRejectedValueOnce(busy())
      .mockRejectedValueOnce(busy())
      .mockResolvedValue('ok');
    await expect(retryOnBackPressure(fn, { initialDelayMs: 1 })).resolves.toBe('ok');
    expect(fn.mock.calls.map(([attempt]) => attempt)).toEqual([0, 1, 2]);
  });

  it('rethrows any other error at once', async () => {
    const unroutable = new UnroutableError('UNROUTABLE', 'no route');
    const fn = jest.fn<Promise<string>, [number]>().mockRejectedValue(unroutable);
    await expect(retryOnBackPressure(fn)).rejects.toBe(unroutable);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('waits a full-jitter delay in [0, step), the step raised to retryAfterMs', async () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const fn = jest.fn<Promise<string>, [number]>().mockRejectedValueOnce(busy(400)).mockResolvedValue('ok');
    const started = Date.now();
    await retryOnBackPressure(fn, { initialDelayMs: 1 });
    const waited = Date.now() - started;
    expect(random).toHaveBeenCalled();
    expect(waited).toBeGreaterThanOrEqual(190); // 0.5 * max(400, 1)
    expect(waited).toBeLessThan(400);
  });

  it('stops at maxElapsedMs: the last wait is shortened to fit, and the last error is thrown', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.99);
    const fn = jest.fn<Promise<string>, [number]>().mockRejectedValue(busy(10_000));
    const started = Date.now();
    const error = await retryOnBackPressure(fn, { maxElapsedMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerBusyError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fn).toHaveBeenCalledTimes(2); // the first try, and one more at the bound
  });

  it('rejects with the signal’s reason as soon as it is aborted, during a wait or before an attempt', async () => {
    const fn = jest.fn<Promise<string>, [number]>().mockRejectedValue(busy(60_000));
    const controller = new AbortController();
    const result = retryOnBackPressure(fn, { signal: controller.signal, initialDelayMs: 60_000 });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    const started = Date.now();
    await expect(result).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(retryOnBackPressure(fn, { signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('rejects unknown and invalid options with INVALID_OPTION', async () => {
    const fn = jest.fn<Promise<string>, [number]>();
    await expect(retryOnBackPressure(fn, { maxElapsed: 5 } as never)).rejects.toThrow(/did you mean "maxElapsedMs"/);
    await expect(retryOnBackPressure(fn, { maxElapsedMs: 0 })).rejects.toBeInstanceOf(WarrenError);
    expect(fn).not.toHaveBeenCalled();
  });
});
