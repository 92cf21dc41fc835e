import { recordingLogger, startFaultProxy, uniqueName, useBroker, type FaultProxy } from '@warren/testing';
import { createConsumer, NonRetryableError, type Health } from '../../src';
import { sleep, until, useConsumerFixtures } from './helpers';

const broker = useBroker();
const fx = useConsumerFixtures(broker);
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/** A user of its own, so the log check can look for a password unlike the user name; deleted after the file. */
async function userUrl(): Promise<{ user: string; password: string; url: string }> {
  const { user, password } = await broker.management.createUser(uniqueName('obs-user'));
  broker.teardown(() => broker.management.deleteUser(user));
  return { user, password, url: urlOf(user, password) };
}

function urlOf(user: string, password: string): string {
  const url = new URL(broker.amqpUrl);
  url.username = user;
  url.password = password;
  return url.toString();
}

describe('consumer.health()', () => {
  it("turns 'failing' with 'stalled' once a stuck handler passes stallAfterMs, and back to 'ok' when it recovers", async () => {
    const queue = uniqueName('con-stall');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    const stallAfterMs = 1_500;
    const consumer = fx.consumer(topology, { stallAfterMs });
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    let stuckSince = 0;
    let handled = 0;
    await consumer.consume(
      queue,
      async (_payload, ctx) => {
        if (ctx.messageId === 'stuck') {
          stuckSince = performance.now();
          await stuck;
        }
        handled++;
      },
      { prefetch: 1 },
    );
    expect(await consumer.health()).toEqual({ status: 'ok', reasons: [] });
    for (const messageId of ['stuck', 'a', 'b']) await fx.publish('', queue, {}, { messageId });
    await until('the stuck handler', () => stuckSince > 0);

    await sleep(stallAfterMs / 2);
    expect(await consumer.health()).toEqual({ status: 'ok', reasons: [] }); // not yet: a slow handler is no stall
    let health: Health | undefined;
    await until('the stall verdict', async () => (health = await consumer.health()).status !== 'ok', 5_000);
    const seenAfterMs = performance.now() - stuckSince;
    expect(health!.status).toBe('failing');
    expect(health!.reasons).toEqual([{ code: 'stalled', queue, message: expect.stringContaining('2 ready messages') }]);
    expect(seenAfterMs).toBeGreaterThanOrEqual(stallAfterMs);
    expect(seenAfterMs).toBeLessThan(stallAfterMs + 1_000); // polled every 20 ms; the ready count is one round trip

    release();
    await until('the backlog handled', () => handled === 3);
    expect(await consumer.health()).toEqual({ status: 'ok', reasons: [] });
  });

  it("reports every prefetch slot busy past the handler timeout as 'stalled', without a backlog", async () => {
    const queue = uniqueName('con-slots');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    const consumer = fx.consumer(topology, { stallAfterMs: 60_000 });
    let started = 0;
    // The handler ignores its signal: a timed-out attempt is dead-lettered, and keeps running.
    const handler = (): Promise<void> => {
      started++;
      return new Promise<void>(() => undefined);
    };
    await consumer.consume(queue, handler, { prefetch: 2, handlerTimeoutMs: 300 });
    for (const messageId of ['x', 'y']) await fx.publish('', queue, {}, { messageId });
    await until('both handlers', () => started === 2);
    expect(await consumer.health()).toEqual({ status: 'ok', reasons: [] });
    await until('the stall verdict', async () => (await consumer.health()).status !== 'ok', 5_000);
    expect(await consumer.health()).toEqual({
      status: 'failing',
      reasons: [{ code: 'stalled', queue, message: expect.stringContaining('prefetch slots') }],
    });
  });

  it('reports paused, and disconnected across a proxy cut', async () => {
    const queue = uniqueName('con-health');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    proxy = await startFaultProxy({ target: broker.amqpUrl });
    const consumer = fx.consumer(topology, { urls: proxy.url, reconnectSeconds: 0.2 });
    await consumer.consume(queue, () => undefined);
    await consumer.pause();
    expect(await consumer.health()).toEqual({
      status: 'degraded',
      reasons: [expect.objectContaining({ code: 'paused' })],
    });
    await consumer.resume();
    expect((await consumer.health()).status).toBe('ok');

    proxy.refuse();
    proxy.cut();
    await until('the disconnect', () => consumer.state === 'disconnected');
    expect(await consumer.health()).toEqual({
      status: 'degraded',
      reasons: [expect.objectContaining({ code: 'disconnected' })],
    });
    proxy.heal();
    await until('back to ok', async () => (await consumer.health()).status === 'ok');
  });
});

describe('logger', () => {
  it('logs the recovery after a proxy cut and dead-lettering, and never the password', async () => {
    const { user, password, url } = await userUrl();
    const queue = uniqueName('con-log');
    const topology = await fx.declare({ queues: { [queue]: {} } });
    proxy = await startFaultProxy({ target: url });
    const log = recordingLogger();
    const consumer = fx.consumer(topology, { urls: proxy.url, reconnectSeconds: 0.2, logger: log.logger });
    await consumer.consume(queue, (_payload, ctx) => {
      if (ctx.messageId === 'poison') throw new NonRetryableError('bad order');
    });
    const find = (msg: string) => log.find('warren-consumer', msg);
    expect(find('connected')).toEqual([
      { level: 'info', component: 'warren-consumer', url: expect.stringContaining(`${user}:***@`), msg: 'connected' },
    ]);
    expect(find('subscribed')).toEqual([expect.objectContaining({ level: 'info', queue, prefetch: 10 })]);

    proxy.refuse();
    proxy.cut();
    await until('a failed reconnect', () => find('connect attempt failed; retrying').length > 0);
    proxy.heal();
    await until('the re-subscription', () => find('subscribed').length === 2);
    expect(find('disconnected; reconnecting')).toEqual([
      expect.objectContaining({ level: 'warn', reason: expect.any(String) }),
    ]);
    expect(find('connect attempt failed; retrying')[0]).toEqual(
      expect.objectContaining({
        level: 'warn',
        url: expect.stringContaining(`${user}:***@`),
        reason: expect.any(String),
      }),
    );
    expect(find('connected')).toHaveLength(2);

    await fx.publish('', queue, { order: 1 }, { messageId: 'poison' });
    await until('the dead-letter line', () => find('message dead-lettered').length === 1);
    expect(find('message dead-lettered')[0]).toEqual(
      expect.objectContaining({ level: 'warn', queue, messageId: 'poison', reason: 'non-retryable' }),
    );

    // A wrong password fails for good: an error line, which must not carry that password either.
    const wrong = `wrong-${uniqueName('pw')}`;
    const failing = createConsumer({ urls: urlOf(user, wrong), topology, logger: log.logger });
    broker.teardown(() => failing.close({ timeoutMs: 0 }));
    await until('the failed line', () => find('connection failed for good').length === 1);
    expect(find('connection failed for good')[0]).toEqual(
      expect.objectContaining({ level: 'error', code: 'ACCESS_REFUSED' }),
    );

    const text = log.text();
    expect(text.length).toBeGreaterThan(8);
    for (const line of text) {
      expect(line).not.toContain(password);
      expect(line).not.toContain(wrong);
    }
  });
});
