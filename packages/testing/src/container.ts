import { createServer } from 'node:net';
import { GenericContainer, Wait, getContainerRuntimeClient } from 'testcontainers';
import type { TestBroker } from './TestBroker';

/** The official image with the management plugin. */
export const DEFAULT_RABBITMQ_IMAGE = 'rabbitmq:4-management';

/**
 * Starts a RabbitMQ container and waits until its listeners accept connections. The readiness check is a command,
 * not a log line: Debian's packaged start script logs to files, the official image to stdout; the command works
 * for both. The host ports keep the management API at the AMQP port + 10000, so code that derives one from the
 * other (`managementUrlFor`) works against the container too.
 */
export async function startRabbitContainer(image: string): Promise<ContainerBroker> {
  for (let attempt = 1; ; attempt += 1) {
    const amqpPort = await freePortPair();
    try {
      return await start(image, amqpPort);
    } catch (error) {
      // Another process may have taken a port between the check and the bind: pick another pair.
      if (attempt >= 3 || !/port|address already in use|bind/i.test(String(error))) throw error;
    }
  }
}

/** A container broker; `exec` runs a command inside it (for `rabbitmqctl`). @internal */
export interface ContainerBroker extends TestBroker {
  exec(command: string[]): Promise<string>;
}

async function start(image: string, amqpPort: number): Promise<ContainerBroker> {
  const container = await new GenericContainer(image)
    .withExposedPorts({ container: 5672, host: amqpPort }, { container: 15672, host: amqpPort + 10_000 })
    .withWaitStrategy(Wait.forSuccessfulCommand('rabbitmq-diagnostics -q check_port_connectivity'))
    .withStartupTimeout(120_000)
    .start();
  const host = container.getHost();
  return {
    amqpUrl: `amqp://guest:guest@${host}:${container.getMappedPort(5672)}`,
    managementUrl: `http://guest:guest@${host}:${container.getMappedPort(15672)}`,
    source: 'container',
    image,
    exec: async (command) => {
      const result = await container.exec(command);
      if (result.exitCode !== 0)
        throw new Error(`${command.join(' ')} exited with ${result.exitCode}: ${result.output}`);
      return result.output;
    },
    stop: async () => {
      await container.stop({ timeout: 5_000 });
    },
  };
}

/** A free port P (20000–49999) whose P + 10000 is free too. */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** Whether testcontainers finds a Docker (or compatible) engine. */
export async function dockerAvailable(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
