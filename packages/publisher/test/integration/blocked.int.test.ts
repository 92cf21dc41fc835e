import { startPrivateBroker, type BrokerHandle, type PrivateBroker } from '@warren/testing';
import { BlockedError, PublishTimeoutError } from '../../src';
import { openPublisher, rawChannel, watchForStrayErrors } from './helpers';

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
    const channel = await rawChannel(broker);
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, 'amq.direct', queue);
    const publisher = openPublisher(broker, stray);
    const events: string[] = [];
    publisher.on('blocked', ({ reason }) => events.push(`blocked: ${reason}`));
    publisher.on('unblocked', () => events.push('unblocked'));
    await publisher.publishRaw('amq.direct', queue, { before: true }, { messageId: 'before' });

    await memoryAlarm(true);
    // RabbitMQ blocks a connection on its first publish after the alarm; that publish, already sent, then waits for
    // unblocked: its outcome is unknown (it arrives after the alarm clears), so it is a timeout, not BROKER_BLOCKED.
    const sent = await publisher
      .publishRaw('amq.direct', queue, {}, { timeoutMs: 3_000, messageId: 'sent' })
      .catch((e: unknown) => e);
    expect(sent).toMatchObject({ code: 'PUBLISH_TIMEOUT' });
    expect(sent).toBeInstanceOf(PublishTimeoutError);
    expect(publisher.state).toBe('blocked');
    expect(events).toEqual(['blocked: low on memory']);
    // Published while blocked: held, never sent, so definitely not delivered.
    const held = await publisher
      .publishRaw('amq.direct', queue, {}, { timeoutMs: 1_000, messageId: 'held' })
      .catch((e: unknown) => e);
    expect(held).toBeInstanceOf(BlockedError);
    expect(held).toMatchObject({ code: 'BROKER_BLOCKED' });
    expect((held as BlockedError).retryAfterMs).toBeGreaterThanOrEqual(1_000);
    expect((held as Error).message).not.toContain('may still arrive');

    const waiting = publisher.publishRaw(
      'amq.direct',
      queue,
      { during: true },
      { timeoutMs: 30_000, messageId: 'after' },
    );
    await memoryAlarm(false);
    await expect(waiting).resolves.toBeDefined();
    expect(publisher.state).toBe('connected');
    expect(events).toEqual(['blocked: low on memory', 'unblocked']);
    const arrived: string[] = [];
    for (let message = await channel.get(queue); message; message = await channel.get(queue)) {
      arrived.push(String(message.properties.messageId));
    }
    expect(arrived.sort()).toEqual(['after', 'before', 'sent']);
  });
});
