import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { ManagementClient } from '../src/live/management';

/** A stand-in management API on loopback that answers `/api/overview` and counts its requests. */
async function fakeNode(version: string): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ rabbitmq_version: version, authorization: request.headers.authorization }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { server, url: `http://user:s3cret@127.0.0.1:${port}`, requests: () => requests };
}

/** A URL where nothing listens: a port that was free a moment ago. */
async function deadUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return `http://guest:guest@127.0.0.1:${port}`;
}

describe('ManagementClient with several nodes', () => {
  it('uses the first node that answers, with its own credentials, and stays on it', async () => {
    const dead = await deadUrl();
    const node = await fakeNode('3.13.0');
    try {
      const client = new ManagementClient([dead, node.url]);
      const first = (await client.overview()) as { rabbitmq_version: string; authorization?: string };
      expect(first.rabbitmq_version).toBe('3.13.0');
      expect(first.authorization).toBe(`Basic ${Buffer.from('user:s3cret').toString('base64')}`);
      await client.overview();
      expect(node.requests()).toBe(2);
    } finally {
      node.server.close();
    }
  });

  it('moves on when the node in use stops answering', async () => {
    const a = await fakeNode('a');
    const b = await fakeNode('b');
    try {
      const client = new ManagementClient([a.url, b.url]);
      expect((await client.overview()).rabbitmq_version).toBe('a');
      a.server.close();
      a.server.closeAllConnections();
      expect((await client.overview()).rabbitmq_version).toBe('b');
    } finally {
      b.server.close();
    }
  });

  it('names every node, without passwords, when none answers', async () => {
    const urls = [await deadUrl(), (await deadUrl()).replace('guest:guest', 'guest:s3cret')];
    const error = await new ManagementClient(urls).overview().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MANAGEMENT_UNREACHABLE', status: 0 });
    const message = (error as Error).message;
    for (const url of urls) expect(message).toContain(new URL(url).host);
    expect(message).not.toContain('s3cret');
  });
});
