import { closeOnSignals, type Consumer } from '../src';

describe('closeOnSignals', () => {
  it('closes the consumer once on the first SIGTERM, then leaves later signals to the default handling', async () => {
    const close = jest.fn(() => Promise.resolve());
    const consumer = { close } as unknown as Consumer;
    const before = process.listenerCount('SIGTERM');
    const closed = new Promise<unknown>((resolve) => closeOnSignals(consumer, { timeoutMs: 1234, onClosed: resolve }));
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    process.emit('SIGTERM');
    await expect(closed).resolves.toBeUndefined();
    expect(close).toHaveBeenCalledTimes(1);
    expect(close).toHaveBeenCalledWith(expect.objectContaining({ timeoutMs: 1234 }));
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('returns a function that removes its listeners', () => {
    const before = process.listenerCount('SIGINT');
    const remove = closeOnSignals({ close: jest.fn() } as unknown as Consumer, { signals: ['SIGINT'] });
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    remove();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('passes a close failure to onClosed', async () => {
    const failure = new Error('boom');
    const consumer = { close: () => Promise.reject(failure) } as unknown as Consumer;
    const closed = new Promise<unknown>((resolve) =>
      closeOnSignals(consumer, { signals: ['SIGUSR2'], onClosed: resolve }),
    );
    process.emit('SIGUSR2');
    await expect(closed).resolves.toBe(failure);
  });
});
