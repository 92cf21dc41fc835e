import { connect, type ChannelModel } from 'amqplib';
import { startFaultProxy, useBroker, type FaultProxy } from '../../src';

const broker = useBroker();
let proxy: FaultProxy;
const open: ChannelModel[] = [];

beforeEach(async () => {
  proxy = await startFaultProxy({ target: broker.amqpUrl });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close().catch(() => undefined)));
  await proxy.close();
});

async function connectThrough(heartbeatSeconds = 0): Promise<ChannelModel> {
  const connection = await connect(`${proxy.url}?heartbeat=${heartbeatSeconds}`);
  connection.on('error', () => undefined);
  open.push(connection);
  return connection;
}

/** Milliseconds until the connection emits `close`. */
function closeTime(connection: ChannelModel): Promise<number> {
  const start = Date.now();
  return new Promise((resolve) => connection.once('close', () => resolve(Date.now() - start)));
}

describe('startFaultProxy', () => {
  it('passes AMQP traffic through, keeping credentials and vhost in its URL', async () => {
    const target = new URL(broker.amqpUrl);
    const url = new URL(proxy.url);
    expect([url.username, url.password, url.pathname]).toEqual([target.username, target.password, target.pathname]);
    expect(url.port).toBe(String(proxy.port));
    const connection = await connectThrough();
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    expect(await channel.checkQueue(queue)).toMatchObject({ messageCount: 0 });
    expect(proxy.connections).toBe(1);
  });

  it('cut() makes an amqplib connection emit close within a second', async () => {
    const connection = await connectThrough();
    await connection.createChannel();
    const closed = closeTime(connection);
    proxy.cut();
    expect(await closed).toBeLessThan(1_000);
    expect(proxy.connections).toBe(0);
  });

  it('blackhole() with a 5 s heartbeat is detected within 20 s, and heal() lets new connections through', async () => {
    const connection = await connectThrough(5);
    const errors: Error[] = [];
    connection.on('error', (error: Error) => errors.push(error));
    const closed = closeTime(connection);
    proxy.blackhole();
    const elapsed = await closed;
    expect(elapsed).toBeGreaterThan(5_000);
    expect(elapsed).toBeLessThan(20_000);
    expect(errors.map((e) => e.message).join()).toMatch(/heartbeat/i);
    proxy.heal();
    await expect(connectThrough()).resolves.toBeDefined();
  }, 30_000);

  it('refuse() resets new connections and leaves open ones alone until heal()', async () => {
    const survivor = await connectThrough();
    const channel = await survivor.createChannel();
    proxy.refuse();
    await expect(connect(proxy.url)).rejects.toThrow();
    await expect(channel.assertQueue('', { exclusive: true })).resolves.toMatchObject({ messageCount: 0 });
    expect(proxy.connections).toBe(1);
    proxy.heal();
    await expect(connectThrough()).resolves.toBeDefined();
  });

  it('latency(ms) delays each round trip by about twice ms, in order', async () => {
    const connection = await connectThrough();
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    proxy.latency(150);
    const start = Date.now();
    const results = await Promise.all([1, 2, 3].map(() => channel.checkQueue(queue)));
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
    expect(results.map((r) => r.queue)).toEqual([queue, queue, queue]);
    proxy.latency(0);
    const quick = Date.now();
    await channel.checkQueue(queue);
    expect(Date.now() - quick).toBeLessThan(150);
  });
});
