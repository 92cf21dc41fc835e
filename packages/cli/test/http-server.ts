import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { once } from 'node:events';

export interface LocalServer {
  readonly port: number;
  close(): void;
}

/** A loopback HTTP server with the given handler. */
export async function httpServer(handler: RequestListener): Promise<LocalServer> {
  const server: Server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A stand-in for RabbitMQ's management API with an empty vhost: enough for plan and export to run. */
export const emptyRabbitMq = (): Promise<LocalServer> =>
  httpServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(request.url === '/api/overview' ? '{"rabbitmq_version":"3.13.7"}' : '[]');
  });

/** A TCP server that answers whatever it is sent with an HTTP error: not AMQP. */
export async function httpOnAmqpPort(): Promise<LocalServer> {
  const server = createTcpServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', () => socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}
