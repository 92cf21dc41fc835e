import { startPrivateBroker, type BrokerHandle, type PrivateBroker } from '@warren/testing';
import { BlockedError } from '../../src';
import { openPublisher, watchForStrayErrors } from './helpers';

// A memory alarm blocks every publisher of a broker: raise one only on a broker of our own, never the shared one.
let privateBroker: PrivateBroker;
const cleanups: (() => Promise<unknown>)[] = [];
const stray = watchForStrayErrors();
const broker = {
  get amqpUrl() {
    return privateBroker.amqpUrl;
  },
  teardown: (cleanup: () => Promise<unknown>) => void cleanups.push(cleanup),
} as unknown as BrokerHandle;

beforeAll(async () => {
  privateBroker = await startPrivateBroker();
}, 180_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await privateBroker?.stop();
}, 60_000);

async function memoryAlarm(on: boolean): Promise<void> {
  await privateBroker.rabbitmqctl(['set_vm_memory_high_watermark', on ? '0' : '0.4']);
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
