import { reminderDueContract } from '../src/contracts';
import { scheduleReminder } from '../src/reminder-route';
import type { PublisherLike } from '../src/service';

function fakePublisher(calls: unknown[]): PublisherLike {
  return {
    health: () => ({ status: 'ok', reasons: [] }),
    publish: async (contract, payload, options) => {
      calls.push({ routingKey: contract.routingKey, payload, options });
      return { messageId: options?.messageId ?? 'generated' };
    },
  };
}

describe('POST /reminders', () => {
  it('publishes reminder.due with the delay and a due time no earlier than now + delay', async () => {
    const calls: unknown[] = [];
    const before = Date.now();
    const reply = await scheduleReminder(fakePublisher(calls), reminderDueContract(), {
      ok: true,
      value: { postId: 'p1', author: 'ada', inSeconds: 90 },
    });
    expect(reply.status).toBe(202);
    expect(calls).toEqual([
      {
        routingKey: 'reminder.due',
        payload: { postId: 'p1', author: 'ada', dueAt: expect.any(String) },
        options: { messageId: 'reminder-p1', delay: 90_000, timeoutMs: 2_000 },
      },
    ]);
    const { dueAt } = reply.body as { dueAt: string };
    expect(Date.parse(dueAt)).toBeGreaterThanOrEqual(before + 90_000);
  });

  it('answers 400 for a delay outside 1 s to 30 days, and publishes nothing', async () => {
    const calls: unknown[] = [];
    const reply = await scheduleReminder(fakePublisher(calls), reminderDueContract(), {
      ok: true,
      value: { postId: 'p1', author: 'ada', inSeconds: 31 * 86_400 },
    });
    expect(reply.status).toBe(400);
    expect(calls).toEqual([]);
  });
});
