import { createServer, connect } from 'node:net';
import { once } from 'node:events';
import { socketOf } from '../src/socket-of';

describe('socketOf', () => {
  it('finds the socket of an amqplib connection and nothing in other values', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const client = connect({ port, host: '127.0.0.1' });
    await once(client, 'connect');
    expect(socketOf({ connection: { stream: client } })).toBe(client);
    expect(socketOf({ connection: { stream: {} } })).toBeUndefined();
    expect(socketOf({ connection: {} })).toBeUndefined();
    expect(socketOf(undefined)).toBeUndefined();
    client.destroy();
    server.close();
  });
});
