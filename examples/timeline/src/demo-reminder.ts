/** The demo's scheduled reminder: due this many seconds after the load starts. */
export const DEMO_REMINDER_SECONDS = 5;

/** Asks the service to schedule one reminder (`POST /reminders`); resolves with its due time. */
export async function scheduleDemoReminder(baseUrl: string, postId: string): Promise<{ dueAt: string }> {
  const response = await fetch(`${baseUrl}/reminders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ postId, author: 'ada', inSeconds: DEMO_REMINDER_SECONDS }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { dueAt?: string; error?: string };
  if (response.status !== 202 || body.dueAt === undefined)
    throw new Error(`POST /reminders answered ${response.status}: ${JSON.stringify(body)}`);
  return { dueAt: body.dueAt };
}
