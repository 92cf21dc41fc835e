import { z } from 'zod';
import type { ReminderDueContract } from './contracts';
import type { JsonBody, PublisherLike, Reply } from './service';

/** What `POST /reminders` accepts: the post, and in how many seconds (1 s to 30 days) to be reminded. */
const ReminderRequest = z.object({
  postId: z.string().min(1).max(64),
  author: z.string().min(1).max(64),
  inSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400),
});

/**
 * Schedules a `reminder.due` `inSeconds` from now: the publish is confirmed at once, the message waits in the delay
 * ladder and reaches the reminders queue no earlier than `dueAt`. The reminder's id is derived from the post, so a
 * client retry is recognisable downstream.
 */
export async function scheduleReminder(
  publisher: PublisherLike,
  contract: ReminderDueContract,
  body: JsonBody,
): Promise<Reply> {
  if (!body.ok) return body.reply;
  const parsed = ReminderRequest.safeParse(body.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    return { status: 400, body: { error: 'INVALID_REMINDER', issues } };
  }
  const { postId, author, inSeconds } = parsed.data;
  const dueAt = new Date(Date.now() + inSeconds * 1000).toISOString();
  const { messageId } = await publisher.publish(
    contract,
    { postId, author, dueAt },
    { messageId: `reminder-${postId}`, delay: inSeconds * 1000, timeoutMs: 2_000 },
  );
  return { status: 202, body: { messageId, dueAt } };
}
