import { healthOf, type Health, type HealthReason } from '@warren/core';

/** The share of a buffer limit from which the buffer counts as filling (`buffer-filling`, degraded). */
export const BUFFER_FILLING_SHARE = 0.8;

/** @internal The publisher's state (`PublisherState`, repeated here: `Publisher.ts` imports this file). */
type State = 'connecting' | 'connected' | 'disconnected' | 'blocked' | 'closed' | 'failed';

/** @internal What `publisher.health()` reads of its buffer (an `OutboundBuffer`). */
export interface BufferFill {
  readonly heldMessages: number;
  readonly heldBytes: number;
  /** Publishes waiting for space (`whenBufferFull: 'wait'`). */
  readonly waiting: { readonly length: number };
}

const STATE_REASONS: Partial<Record<State, HealthReason>> = {
  connecting: { code: 'connecting', message: 'not connected yet: publishes wait in the buffer' },
  disconnected: { code: 'disconnected', message: 'the connection is lost; reconnecting (publishes are buffered)' },
  blocked: { code: 'blocked', message: 'the broker blocked the connection (memory or disk alarm)' },
  closed: { code: 'closed', message: 'the publisher is closed' },
  failed: { code: 'failed', message: 'the connection cannot succeed (credentials or vhost): every publish fails' },
};

/**
 * @internal The publisher's verdict: its connection state, then its buffer (`buffer-full` when a publish would be
 * refused or has to wait, `buffer-filling` from 80% of either limit).
 */
export function publisherHealth(state: State, buffer: BufferFill, limits: Limits): Health {
  const reasons: HealthReason[] = [];
  const stateReason = STATE_REASONS[state];
  if (stateReason) reasons.push(stateReason);
  const bufferReason = bufferHealth(buffer, limits);
  if (bufferReason) reasons.push(bufferReason);
  return healthOf(reasons);
}

type Limits = { readonly maxBufferMessages: number; readonly maxBufferBytes: number };

function bufferHealth(buffer: BufferFill, { maxBufferMessages, maxBufferBytes }: Limits): HealthReason | undefined {
  const { heldMessages: messages, heldBytes: bytes } = buffer;
  const waiting = buffer.waiting.length;
  const held = `${messages}/${maxBufferMessages} messages, ${bytes}/${maxBufferBytes} bytes held`;
  if (waiting > 0 || messages >= maxBufferMessages || bytes >= maxBufferBytes) {
    return { code: 'buffer-full', message: `the buffer is full (${held}, ${waiting} waiting)` };
  }
  const share = Math.max(messages / maxBufferMessages, bytes / maxBufferBytes);
  if (share >= BUFFER_FILLING_SHARE) return { code: 'buffer-filling', message: `the buffer is filling (${held})` };
  return undefined;
}
