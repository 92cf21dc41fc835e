import { newMessageId } from '../src/messageId';

describe('newMessageId', () => {
  it('gives 22 base64url characters (132 random bits), different every time, across pool refills', () => {
    const ids = Array.from({ length: 10_000 }, () => newMessageId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Buffer.from(newMessageId(), 'base64url')).toHaveLength(16);
  });
});
