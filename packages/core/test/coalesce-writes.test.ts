import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { coalesceWrites, socketOf } from '../src/coalesce-writes';

/** A loopback server that collects what one client sends, read by read. */
async function loopback(): Promise<{ server: Server; client: Socket; reads: Buffer[]; received: () => Buffer }> {
  const reads: Buffer[] = [];
  const server = createServer((peer) => peer.on('data', (chunk: Buffer) => reads.push(chunk)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const client = connect({ port, host: '127.0.0.1', noDelay: true });
  await once(client, 'connect');
  return { server, client, reads, received: () => Buffer.concat(reads) };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('coalesceWrites', () => {
  it('holds the writes of one turn and sends them together, in order, at the end of the turn', async () => {
    const { server, client, received } = await loopback();
    coalesceWrites(client);
    const frames = Array.from({ length: 200 }, (_, i) => Buffer.from(`frame-${i};`));
    for (const frame of frames) client.write(frame);
    expect(client.writableCorked).toBe(1);
    expect(client.writableLength).toBe(Buffer.concat(frames).length);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(client.writableCorked).toBe(0);
    await until(() => received().length === Buffer.concat(frames).length);
    expect(received().toString()).toBe(Buffer.concat(frames).toString());
    client.destroy();
    server.close();
  });

  it('sends a lone write at the end of its turn, without a timer', async () => {
    const { server, client, received } = await loopback();
    coalesceWrites(client);
    client.write('one');
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.writableLength).toBe(0);
    await until(() => received().length === 3);
    expect(received().toString()).toBe('one');
    client.destroy();
    server.close();
  });

  it('finds the socket of an amqplib connection and nothing in other values', async () => {
    const { server, client } = await loopback();
    expect(socketOf({ connection: { stream: client } })).toBe(client);
    expect(socketOf({ connection: {} })).toBeUndefined();
    expect(socketOf(undefined)).toBeUndefined();
    client.destroy();
    server.close();
  });
});
