import type { Health } from '@warren/publisher';

/** What the health routes read: the service's publisher, the worker's consumer (either or both). */
export interface HealthSources {
  readonly publisher?: { health(): Health };
  readonly consumer?: { health(): Promise<Health> };
}

/** The paths `healthReply` answers. */
export const HEALTH_PATHS: readonly string[] = ['/health', '/health/ready', '/health/live'];

/**
 * The health routes, for a load balancer and an orchestrator (README, "Health"):
 * - `GET /health` — everything: 200 when all is `ok`, else 503, with each runtime's status and reasons.
 * - `GET /health/ready` — may this instance get work? 503 when the publisher (a worker: its consumer) is
 *   `failing` (its buffer is full, its login refused, it is closed); `degraded` (reconnecting, blocked, filling)
 *   still takes requests: the buffer is there for that, and the publishes answer 503 by themselves when they must.
 * - `GET /health/live` — should the orchestrator restart it? 503 when the consumer is `failing` (stalled, its
 *   queue missing, its connection failed for good); always 200 without a consumer.
 */
export async function healthReply(path: string, sources: HealthSources): Promise<{ status: number; body: unknown }> {
  const publisher = sources.publisher?.health();
  const consumer = await sources.consumer?.health();
  const failing = (health: Health | undefined): boolean => health?.status === 'failing';
  if (path === '/health/ready') return verdict(!failing(publisher ?? consumer), { publisher, consumer });
  if (path === '/health/live') return verdict(!failing(consumer), { consumer });
  const ok = [publisher, consumer].every((health) => health === undefined || health.status === 'ok');
  return verdict(ok, { publisher, consumer });
}

function verdict(up: boolean, details: Record<string, Health | undefined>): { status: number; body: unknown } {
  return { status: up ? 200 : 503, body: { status: up ? 'up' : 'down', ...details } };
}
