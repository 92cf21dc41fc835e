import { uniqueName } from '../src';

describe('uniqueName', () => {
  it('gives a new name on every call, prefixed as asked', () => {
    const names = Array.from({ length: 50 }, () => uniqueName('orders'));
    expect(new Set(names).size).toBe(50);
    for (const name of names) expect(name).toMatch(/^orders-[0-9a-f]{6}-\d+$/);
  });
});
