import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { BlockedError } from '../../src';
import { openPublisher, watchForStrayErrors } from './helpers';
import type { BrokerHandle } from '@warren/testing';

// A memory alarm blocks every publisher of a broker: raise one only on a broker of our own, never the shared one.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
const IMAGE = process.env.WARREN_RABBITMQ_IMAGE ?? 'warren-test/rabbitmq:sid';

let container: StartedTestContainer;
const cleanups: (() => Promise<unknown>)[] = [];
const stray = watchForStrayErrors();
const broker = {
  get amqpUrl() {
    return `amqp://guest:guest@${container.getHost()}:${container.getMappedPort(5672)}`;
  },
  teardown: (cleanup: () => Promise<unknown>) => void cleanups.push(cleanup),
} as unknown as BrokerHandle;

beforeAll(async () => {
  container = await new GenericContainer(IMAGE)
    .withExposedPorts(5672)
    .withWaitStrategy(Wait.forSuccessfulCommand('rabbitmq-diagnostics -q check_port_connectivity'))
    .withStartupTimeout(120_000)
    .start();
}, 180_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await container?.stop({ timeout: 5_000 });
});

async function memoryAlarm(on: boolean): Promise<void> {
  const result = await container.exec(['rabbitmqctl', 'set_vm_memory_high_watermark', on ? '0' : '0.4']);
  if (result.exitCode !== 0) throw new Error(`rabbitmqctl failed: ${result.output}`);
}

describe('publisher and connection.blocked (memory alarm, private broker)', () => {
  it('surfaces blocked as an event and a state, fails at the deadline, and sends after unblocked', async () => {
    const publisher = openPublisher(broker, stray, { mandatory: false });
    const events: string[] = [];
    publisher.on('blocked', ({ reason }) => events.push(`blocked: ${reason}`));
    publisher.on('unblocked', () => events.push('unblocked'));
    await publisher.publishRaw('amq.direct', 'k', { before: true });

    await memoryAlarm(true);
    // RabbitMQ blocks a connection on its first publish after the alarm; that publish then waits for unblocked.
    const blocked = await publisher.publishRaw('amq.direct', 'k', {}, { timeoutMs: 3_000 }).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(BlockedError);
    expect(blocked).toMatchObject({ code: 'BROKER_BLOCKED' });
    expect((blocked as BlockedError).retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(publisher.state).toBe('blocked');
    expect(events).toEqual(['blocked: low on memory']);

    const waiting = publisher.publishRaw('amq.direct', 'k', { during: true }, { timeoutMs: 30_000 });
    await memoryAlarm(false);
    await expect(waiting).resolves.toBeDefined();
    expect(publisher.state).toBe('connected');
    expect(events).toEqual(['blocked: low on memory', 'unblocked']);
  });
});
