import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { startFaultProxy, type FaultProxy } from '../src';

// The proxy's semantics against a local TCP echo server (no broker); the AMQP effects are in the integration tests.
let echo: Server;
let echoPort: number;
let proxy: FaultProxy;
const clients: Socket[] = [];

beforeAll(async () => {
  echo = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => echo.close(resolve));
});
beforeEach(async () => {
  proxy = await startFaultProxy({ target: `amqp://user:pw@127.0.0.1:${echoPort}/vh` });
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await proxy.close();
});

function client(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port: proxy.port }, () => resolve(socket));
    socket.on('error', () => undefined);
    socket.once('close', () => reject(new Error('closed before connecting')));
    clients.push(socket);
  });
}

/** Resolves with what arrives within `ms`: for asserting that nothing arrives. */
function received(socket: Socket, ms: number): Promise<string> {
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve) => setTimeout(() => resolve(text), ms));
}

/** Resolves with what arrived once `length` characters are in, or after 5 s (a loaded machine is slow, not wrong). */
function receivedText(socket: Socket, length: number): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(text), 5_000);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.length >= length) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

function closed(socket: Socket): Promise<string | undefined> {
  return new Promise((resolve) => {
    let code: string | undefined;
    socket.on('error', (error: NodeJS.ErrnoException) => (code = error.code));
    socket.once('close', () => resolve(code));
  });
}

describe('startFaultProxy (against an echo server)', () => {
  it('keeps credentials and vhost in its URL and passes bytes through', async () => {
    expect(proxy.url).toBe(`amqp://user:pw@127.0.0.1:${proxy.port}/vh`);
    const socket = await client();
    const text = receivedText(socket, 'hello'.length);
    socket.write('hello');
    expect(await text).toBe('hello');
    expect(proxy.connections).toBe(1);
  });

  it('cut() resets every connection', async () => {
    const socket = await client();
    await received(socket, 20);
    const code = closed(socket);
    proxy.cut();
    expect(await code).toBe('ECONNRESET');
    expect(proxy.connections).toBe(0);
  });

  it('blackhole() drops bytes but keeps the socket open; heal() resets a connection that lost bytes', async () => {
    const socket = await client();
    proxy.blackhole();
    const text = received(socket, 200);
    socket.write('lost');
    expect(await text).toBe('');
    expect(socket.destroyed).toBe(false);
    const code = closed(socket);
    proxy.heal();
    expect(await code).toBe('ECONNRESET');
  });

  it('heal() after a black hole that dropped nothing resumes the connection', async () => {
    const socket = await client();
    proxy.blackhole();
    proxy.heal();
    const text = receivedText(socket, 'still here'.length);
    socket.write('still here');
    expect(await text).toBe('still here');
  });

  it('refuse() resets new connections until heal()', async () => {
    const open = await client();
    proxy.refuse();
    const refused = createConnection({ host: '127.0.0.1', port: proxy.port });
    clients.push(refused);
    const code = closed(refused);
    refused.write('anyone?');
    expect(await code).toMatch(/ECONNRESET|EPIPE/);
    const text = receivedText(open, 'alive'.length);
    open.write('alive');
    expect(await text).toBe('alive');
    proxy.heal();
    await expect(client()).resolves.toBeDefined();
  });

  it('latency(ms) delays both directions and keeps the order', async () => {
    const socket = await client();
    proxy.latency(150);
    const start = Date.now();
    const text = receivedText(socket, 'abcd'.length);
    for (const part of ['a', 'b', 'c', 'd']) socket.write(part);
    const arrived = new Promise<number>((resolve) => socket.once('data', () => resolve(Date.now() - start)));
    expect(await arrived).toBeGreaterThanOrEqual(290);
    expect(await text).toBe('abcd');
  });

  it('close() ends every connection and is idempotent', async () => {
    const socket = await client();
    const done = closed(socket);
    await Promise.all([proxy.close(), proxy.close()]);
    await done;
    expect(proxy.connections).toBe(0);
  });
});
