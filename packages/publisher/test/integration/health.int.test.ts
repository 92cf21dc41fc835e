import { recordingLogger, startFaultProxy, uniqueName, useBroker, type FaultProxy } from '@warren/testing';
import { BufferFullError, type Health, type Publisher } from '../../src';
import { declareRoute, openPublisher, rawChannel } from './helpers';

const broker = useBroker();
const stray = { errors: [] as unknown[] };

async function proxyTo(target: string): Promise<FaultProxy> {
  const proxy = await startFaultProxy({ target });
  broker.teardown(() => proxy.close());
  return proxy;
}

async function until(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const codes = (health: Health): string[] => health.reasons.map((reason) => reason.code);
const connected = (publisher: Publisher) => () => publisher.state === 'connected';

describe('publisher.health() and its logger', () => {
  it('goes degraded when disconnected and while the buffer fills, failing when full, and logs the transitions', async () => {
    const { exchange, routingKey } = await declareRoute(broker, await rawChannel(broker));
    const { user, password } = await broker.management.createUser(uniqueName('obs-pub'));
    broker.teardown(() => broker.management.deleteUser(user));
    const target = new URL(broker.amqpUrl);
    target.username = user;
    target.password = password;
    const proxy = await proxyTo(target.toString());
    const log = recordingLogger();
    const publisher = openPublisher(broker, stray, {
      urls: proxy.url,
      reconnectSeconds: 0.2,
      maxBufferMessages: 10,
      timeoutMs: 30_000,
      logger: log.logger,
    });
    await until('the connection', connected(publisher));
    expect(publisher.health()).toEqual({ status: 'ok', reasons: [] });

    proxy.refuse();
    proxy.cut();
    await until('the disconnect', () => publisher.state === 'disconnected');
    expect(publisher.health()).toEqual({
      status: 'degraded',
      reasons: [expect.objectContaining({ code: 'disconnected' })],
    });

    const sent = Array.from({ length: 8 }, (_, i) => publisher.publishRaw(exchange, routingKey, { i }));
    expect(codes(publisher.health())).toEqual(['disconnected', 'buffer-filling']);
    expect(publisher.health().status).toBe('degraded');
    sent.push(
      publisher.publishRaw(exchange, routingKey, { i: 8 }),
      publisher.publishRaw(exchange, routingKey, { i: 9 }),
    );
    const refused = Array.from({ length: 3 }, () => publisher.publishRaw(exchange, routingKey, {}));
    for (const publish of refused) await expect(publish).rejects.toBeInstanceOf(BufferFullError);
    expect(publisher.health()).toEqual({
      status: 'failing',
      reasons: [expect.objectContaining({ code: 'disconnected' }), expect.objectContaining({ code: 'buffer-full' })],
    });
    const find = (msg: string) => log.find('warren-publisher', msg);
    expect(find('the publish buffer is full')).toEqual([expect.objectContaining({ level: 'warn', messages: 10 })]);

    await until('a refused reconnect', () => find('connect attempt failed; retrying').length > 0);
    proxy.heal();
    await Promise.all(sent);
    expect(publisher.health()).toEqual({ status: 'ok', reasons: [] });
    expect(find('the publish buffer has room again')).toEqual([expect.objectContaining({ level: 'info' })]);
    expect(find('disconnected; reconnecting')).toEqual([expect.objectContaining({ level: 'warn' })]);
    expect(find('connect attempt failed; retrying')[0]).toEqual(
      expect.objectContaining({ level: 'warn', url: expect.stringContaining(`${user}:***@`) }),
    );
    expect(find('connected')).toEqual([
      expect.objectContaining({ level: 'info', url: expect.stringContaining(`${user}:***@`) }),
      expect.objectContaining({ level: 'info', url: expect.stringContaining(`${user}:***@`) }),
    ]);
    for (const line of log.text()) expect(line).not.toContain(password);
    expect(stray.errors).toEqual([]);
  });

  it('logs a channel the broker closed, and its reopening', async () => {
    const { exchange, routingKey } = await declareRoute(broker, await rawChannel(broker));
    const log = recordingLogger();
    const publisher = openPublisher(broker, stray, { logger: log.logger });
    await expect(publisher.publishRaw(uniqueName('no-such-exchange'), 'k', {})).rejects.toMatchObject({
      code: 'EXCHANGE_NOT_FOUND',
    });
    await publisher.publishRaw(exchange, routingKey, { after: 'reopen' });
    const closed = log.find('warren-publisher', 'the broker closed the channel; reopening it');
    expect(closed).toEqual([expect.objectContaining({ level: 'warn', reason: expect.stringContaining('404') })]);
    expect(stray.errors).toEqual([]);
  });
});
