import { publisherHealth } from '../src/publisherHealth';

const limits = { maxBufferMessages: 100, maxBufferBytes: 1_000 };
const empty = { heldMessages: 0, heldBytes: 0, waiting: { length: 0 } };
const codes = (health: { reasons: readonly { code: string }[] }): string[] => health.reasons.map((r) => r.code);

describe('publisherHealth', () => {
  it('is ok when connected with room in the buffer', () => {
    expect(publisherHealth('connected', { ...empty, heldMessages: 79 }, limits)).toEqual({ status: 'ok', reasons: [] });
  });

  it.each([
    ['connecting', 'degraded'],
    ['disconnected', 'degraded'],
    ['blocked', 'degraded'],
    ['failed', 'failing'],
    ['closed', 'failing'],
  ] as const)('reports %s as %s', (state, status) => {
    const health = publisherHealth(state, empty, limits);
    expect(health.status).toBe(status);
    expect(codes(health)).toEqual([state]);
  });

  it('reports a buffer filling from 80% of either limit', () => {
    expect(codes(publisherHealth('connected', { ...empty, heldMessages: 80 }, limits))).toEqual(['buffer-filling']);
    expect(codes(publisherHealth('connected', { ...empty, heldBytes: 800 }, limits))).toEqual(['buffer-filling']);
    expect(publisherHealth('connected', { ...empty, heldBytes: 800 }, limits).status).toBe('degraded');
  });

  it('reports a full buffer, or publishes waiting for room, as failing', () => {
    const full = publisherHealth('disconnected', { ...empty, heldMessages: 100 }, limits);
    expect(full.status).toBe('failing');
    expect(codes(full)).toEqual(['disconnected', 'buffer-full']);
    expect(codes(publisherHealth('connected', { ...empty, waiting: { length: 1 } }, limits))).toEqual(['buffer-full']);
  });
});
