import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { ManagementClient } from '../src/live/management';
import { readLiveTopology } from '../src/live/read';

/** A loopback HTTP server with the given handler; `url` carries credentials as a management URL does. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { server, url: `http://guest:s3cr@t@127.0.0.1:${port}` };
}

const stop = (server: Server): void => {
  server.closeAllConnections();
  server.close();
};

describe('a management endpoint that accepts and never answers', () => {
  it('times out after timeoutMs and moves on to the next node', async () => {
    const silent = await serve(() => undefined);
    const node = await serve((_request, response) => response.end(JSON.stringify({ rabbitmq_version: '3.13.7' })));
    try {
      const started = Date.now();
      const client = new ManagementClient([silent.url, node.url], '/', { timeoutMs: 300 });
      expect((await client.overview()).rabbitmq_version).toBe('3.13.7');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      stop(silent.server);
      stop(node.server);
    }
  });

  it('fails with MANAGEMENT_UNREACHABLE, saying it timed out, when no node answers in time', async () => {
    const silent = await serve(() => undefined);
    try {
      const error = await new ManagementClient(silent.url, '/', { timeoutMs: 300 }).overview().catch((e) => e);
      expect(error).toMatchObject({ code: 'MANAGEMENT_UNREACHABLE', status: 0 });
      expect((error as Error).message).toMatch(/no answer within 0\.3 s/);
      expect((error as Error).message).not.toContain('s3cr');
    } finally {
      stop(silent.server);
    }
  });
});

describe('a management URL that is not RabbitMQ', () => {
  it('is NOT_RABBITMQ, not "the vhost does not exist", when it answers 404 to everything', async () => {
    const web = await serve((_request, response) => {
      response.statusCode = 404;
      response.end('<h1>Not Found</h1>');
    });
    try {
      const error = await readLiveTopology(new ManagementClient(web.url, '/')).catch((e) => e);
      expect(error).toMatchObject({ code: 'NOT_RABBITMQ', status: 404 });
      expect((error as Error).message).toMatch(/not RabbitMQ's management API/);
      expect((error as Error).message).not.toContain('s3cr');
    } finally {
      stop(web.server);
    }
  });

  it('is NOT_RABBITMQ when /api/overview answers 200 without rabbitmq_version', async () => {
    const web = await serve((_request, response) => response.end('{"hello":"world"}'));
    try {
      const error = await readLiveTopology(new ManagementClient(web.url, '/')).catch((e) => e);
      expect(error).toMatchObject({ code: 'NOT_RABBITMQ' });
    } finally {
      stop(web.server);
    }
  });
});
