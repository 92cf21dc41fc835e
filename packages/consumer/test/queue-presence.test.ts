import { EventEmitter } from 'node:events';
import type { ConsumerEvents } from '../src/events';
import { QueuePresence } from '../src/queue-presence';

const NO_QUEUE = Object.assign(
  new Error(`Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no queue 'billing' in vhost '/'"`),
  { code: 404 },
);

function setup(waitForQueueMs?: number) {
  const events = new EventEmitter<ConsumerEvents>();
  const subscription = { stopIntake: jest.fn(async () => undefined), abortAndClose: jest.fn(async () => undefined) };
  const presence = new QueuePresence('billing', { waitForQueueMs, events }, subscription);
  const warnings: string[] = [];
  const missing: string[] = [];
  events.on('warning', (event) => warnings.push(event.message));
  events.on('queueMissing', (event) => missing.push(event.queue));
  return { presence, subscription, warnings, missing };
}

describe('QueuePresence', () => {
  it('ends the subscription with QUEUE_NOT_FOUND on the first 404 before it ever consumed', async () => {
    const { presence, subscription, warnings } = setup();
    expect(presence.missing(NO_QUEUE)).toBe(true);
    expect(subscription.stopIntake).toHaveBeenCalledWith(expect.objectContaining({ code: 'QUEUE_NOT_FOUND' }));
    await Promise.resolve();
    expect(subscription.abortAndClose).toHaveBeenCalled();
    expect(presence.missing(NO_QUEUE)).toBe(true); // the channel's 'error' for the same close: nothing more
    expect(subscription.stopIntake).toHaveBeenCalledTimes(1);
    expect(warnings).toEqual([]);
  });

  it('leaves other errors (another queue, another code) to the caller', () => {
    const { presence } = setup();
    expect(presence.missing(Object.assign(new Error("no queue 'other' in vhost '/'"), { code: 404 }))).toBe(false);
    expect(presence.missing(Object.assign(new Error("no exchange 'billing.dlx'"), { code: 404 }))).toBe(false);
    expect(presence.missing(new Error('socket closed'))).toBe(false);
  });

  it('with waitForQueueMs, gives up only after the wait, unless the queue appears', async () => {
    jest.useFakeTimers();
    try {
      const { presence, subscription } = setup(1_000);
      presence.missing(NO_QUEUE);
      jest.advanceTimersByTime(999);
      expect(subscription.stopIntake).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(subscription.stopIntake).toHaveBeenCalledWith(expect.objectContaining({ code: 'QUEUE_NOT_FOUND' }));

      const other = setup(1_000);
      other.presence.missing(NO_QUEUE);
      other.presence.consuming();
      jest.advanceTimersByTime(5_000);
      expect(other.subscription.stopIntake).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });

  it('after consuming: queue-missing, one event and one warning however many retries; states for a health check', () => {
    const { presence, subscription, warnings, missing } = setup();
    presence.consuming();
    expect(presence.state).toBe('consuming');
    presence.interrupted(); // broker cancel / channel lost
    expect(presence.state).toBe('subscribing');
    for (let i = 0; i < 10; i++) presence.missing(NO_QUEUE);
    expect(presence.state).toBe('queue-missing');
    expect(missing).toEqual(['billing']);
    expect(warnings).toHaveLength(1);
    expect(subscription.stopIntake).not.toHaveBeenCalled();
    presence.consuming();
    expect(presence.state).toBe('consuming');
    presence.closed();
    expect(presence.state).toBe('closed');
  });
});
