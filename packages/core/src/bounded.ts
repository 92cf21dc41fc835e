import { socketOf } from './socket-of';

/**
 * How long closing waits for one broker round trip (a cancel, a channel close, a connection close). On a dead or
 * black-holed network amqplib would wait for the heartbeat, and it never calls a close continuation when the
 * connection dies meanwhile: without a bound, close() could hang for ever.
 */
export const CLOSE_STEP_MS = 5_000;

/** Waits for `promise` at most `ms`; true when it settled in time. Its failure is ignored (closing is best effort). */
export async function bounded(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms))));
  const settled = promise.then(
    () => true as const,
    () => true as const,
  );
  const inTime = await Promise.race([settled, timeout]);
  clearTimeout(timer);
  return inTime;
}

/**
 * Closes an amqp-connection-manager within `ms`. Its `close()` waits for a connect attempt under way and for the
 * broker's CloseOk; past the bound, the socket of its connection (if any) is destroyed so nothing lingers.
 */
export async function closeManager(
  manager: { close(): Promise<unknown>; readonly connection?: unknown },
  ms: number,
): Promise<void> {
  if (await bounded(manager.close(), ms)) return;
  socketOf(manager.connection)?.destroy();
}
