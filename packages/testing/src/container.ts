import { GenericContainer, Wait, getContainerRuntimeClient } from 'testcontainers';
import type { TestBroker } from './startBroker';

/** The official image with the management plugin. */
export const DEFAULT_RABBITMQ_IMAGE = 'rabbitmq:4-management';

/**
 * Starts a RabbitMQ container and waits until its listeners accept connections. The readiness check is a command,
 * not a log line: Debian's packaged start script logs to files, the official image to stdout; the command works
 * for both.
 */
export async function startRabbitContainer(image: string): Promise<TestBroker> {
  const container = await new GenericContainer(image)
    .withExposedPorts(5672, 15672)
    .withWaitStrategy(Wait.forSuccessfulCommand('rabbitmq-diagnostics -q check_port_connectivity'))
    .withStartupTimeout(120_000)
    .start();
  const host = container.getHost();
  return {
    amqpUrl: `amqp://guest:guest@${host}:${container.getMappedPort(5672)}`,
    managementUrl: `http://guest:guest@${host}:${container.getMappedPort(15672)}`,
    source: 'container',
    image,
    stop: async () => {
      await container.stop({ timeout: 5_000 });
    },
  };
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
