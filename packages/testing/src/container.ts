import { createServer } from 'node:net';
import { TestBrokerError } from './BrokerError';
import type { TestBroker } from './TestBroker';

type Testcontainers = typeof import('testcontainers');

/** The official image with the management plugin. */
export const DEFAULT_RABBITMQ_IMAGE = 'rabbitmq:4-management';

/**
 * Starts a RabbitMQ container and waits until its listeners accept connections. The readiness check is a command,
 * not a log line: Debian's packaged start script logs to files, the official image to stdout; the command works
 * for both. The host ports keep the management API at the AMQP port + 10000, so code that derives one from the
 * other (`managementUrlFor`) works against the container too. @internal
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
  /** `docker restart`: the same container, data and ports. */
  restart(): Promise<void>;
}

async function start(image: string, amqpPort: number): Promise<ContainerBroker> {
  const { GenericContainer, Wait } = testcontainers();
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
    restart: async () => {
      await container.restart({ timeout: 10_000 });
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

/**
 * Whether testcontainers finds a Docker (or compatible) engine. Asked only when a container is needed, so it throws
 * `NO_TEST_BROKER` when testcontainers (an optional peer dependency) is not installed.
 */
export async function dockerAvailable(): Promise<boolean> {
  const { getContainerRuntimeClient } = testcontainers();
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/**
 * testcontainers, loaded at the first container: it is an optional peer dependency (over a hundred packages, some
 * with install scripts) that a user with a broker of their own never needs.
 */
function testcontainers(): Testcontainers {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer, loaded only when needed
    return require('testcontainers') as Testcontainers;
  } catch (cause) {
    if (!String((cause as Error).message).includes("'testcontainers'")) throw cause; // not its absence: a real fault
    throw new TestBrokerError(
      'NO_TEST_BROKER',
      'A RabbitMQ container is needed, but testcontainers (an optional peer dependency of @warren/testing) is not ' +
        'installed: `npm i -D testcontainers`, or give the tests a broker (set AMQP_URL, or run RabbitMQ on ' +
        '127.0.0.1:5672).',
      { cause },
    );
  }
}
