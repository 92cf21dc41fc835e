import { pino } from 'pino';
import { createPublisher } from '@warren/publisher';
import { describeError } from '@warren/core';
import { postCreatedContract, reminderDueContract } from './contracts';
import { numberFromEnv, readEnv } from './env';
import { startMetrics } from './metrics';
import { createTimelineService } from './service';

/**
 * Runs the timeline service: `AMQP_URL`, `PORT` (0 picks a free one), `TIMELINE_NAMESPACE`. When started by the
 * demo (with an IPC channel) it reports the port it listens on. SIGTERM/SIGINT: stop accepting requests, let
 * in-flight ones finish, then close the publisher (which waits for outstanding confirms).
 */
async function main(): Promise<void> {
  const env = readEnv();
  const telemetry = startMetrics(); // before the publisher: it makes its instruments when it is created
  // Warren logs the connection's life and back-pressure transitions through pino (JSON lines, passwords masked).
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  const publisher = createPublisher({ urls: env.amqpUrls, name: `${env.namespace}-service`, logger });
  const server = createTimelineService({
    publisher,
    contract: postCreatedContract(env.names),
    reminderContract: reminderDueContract(env.names),
    onError: (error) => console.error(`timeline service: ${describeError(error)}`),
    metrics: telemetry.handler,
  });
  server.listen(numberFromEnv(process.env.PORT, 3000), () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    if (process.send) process.send({ type: 'listening', port });
    else console.log(`timeline service listening on http://localhost:${port}`);
  });
  const stop = once(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await publisher.close({ timeoutMs: 5_000 });
    await telemetry.shutdown();
    process.exit(0);
  });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function once(fn: () => Promise<void>): () => void {
  let started = false;
  return () => {
    if (started) return;
    started = true;
    fn().catch((error: unknown) => {
      console.error(`timeline service: shutdown failed: ${describeError(error)}`);
      process.exit(1);
    });
  };
}

main().catch((error: unknown) => {
  console.error(`timeline service: ${describeError(error)}`);
  process.exit(1);
});
