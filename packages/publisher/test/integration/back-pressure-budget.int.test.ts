import { connect, type ChannelModel } from 'amqplib';
import { useBroker } from '@warren/testing';
import { BackPressureError, BrokerBusyError, retryOnBackPressure } from '../../src';
import { declareRoute, openPublisher, rawChannel, watchForStrayErrors } from './helpers';

const broker = useBroker();
const stray = watchForStrayErrors();

describe('back pressure: the budget is used, and callers can retry', () => {
  it('a 3 s-deadline publish to a full reject-publish queue fails no earlier than 2.7 s, 20 of 20 times', async () => {
    const channel = await rawChannel(broker);
    const { exchange, routingKey } = await declareRoute(broker, channel, {
      'x-max-length': 1,
      'x-overflow': 'reject-publish',
    });
    const publisher = openPublisher(broker, stray);
    await publisher.publishRaw(exchange, routingKey, { fill: true });
    const outcomes: { ms: number; error: unknown }[] = [];
    // Five at a time: four rounds of 3 s instead of twenty.
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 5 }, async (_, i) => {
          const started = Date.now();
          const error = await publisher
            .publishRaw(exchange, routingKey, { round, i }, { timeoutMs: 3_000 })
            .catch((e: unknown) => e);
          outcomes.push({ ms: Date.now() - started, error });
        }),
      );
    }
    const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    expect(outcomes.every((o) => o.error instanceof BrokerBusyError)).toBe(true);
    expect(times.filter((ms) => ms >= 2_700)).toHaveLength(20);
    expect(times.filter((ms) => ms <= 3_200)).toHaveLength(20);
    // retryAfterMs is the back-off step reached (backoffMaxMs, 5000 by default, after 3 s of nacks), not a constant
    const suggested = outcomes.map((o) => (o.error as BackPressureError).retryAfterMs);
    expect(suggested.every((ms) => ms >= 100 && ms <= 5_000)).toBe(true);
  });

  it('retryOnBackPressure publishes 500 messages into a queue of max-length 50 drained slowly: none lost, no error', async () => {
    const channel = await rawChannel(broker);
    const { exchange, queue, routingKey } = await declareRoute(broker, channel, {
      'x-max-length': 50,
      'x-overflow': 'reject-publish',
    });
    const received = new Set<string>();
    const connection: ChannelModel = await connect(broker.amqpUrl);
    broker.teardown(() => connection.close().catch(() => undefined));
    const consumer = await connection.createChannel();
    await consumer.prefetch(5);
    await consumer.consume(queue, (message) => {
      if (message === null) return;
      // Slow: about 5 ms per message, so the queue stays full while the publishers push 500.
      setTimeout(() => {
        received.add(String(message.properties.messageId));
        consumer.ack(message);
      }, 25);
    });
    const publisher = openPublisher(broker, stray, { timeoutMs: 500, backoffInitialMs: 20, backoffMaxMs: 200 });
    const ids = Array.from({ length: 500 }, (_, i) => `m-${i}`);
    let next = 0;
    const errors: unknown[] = [];
    let backPressured = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < ids.length; i = next++) {
        const messageId = ids[i]!;
        await retryOnBackPressure(
          (attempt) => {
            if (attempt > 0) backPressured++;
            return publisher.publishRaw(exchange, routingKey, { i }, { messageId });
          },
          { maxElapsedMs: 60_000 },
        ).catch((error: unknown) => errors.push(error));
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    expect(errors).toEqual([]);
    expect(backPressured).toBeGreaterThan(0); // the queue did push back
    const deadline = Date.now() + 30_000;
    while (received.size < 500 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ids.filter((id) => !received.has(id))).toEqual([]);
  }, 120_000);
});
