import { spawn } from 'node:child_process';
import { uniqueName, useBroker } from '@warren/testing';
import { sleep, until, useConsumerFixtures } from './helpers';

const broker = useBroker();
const fx = useConsumerFixtures(broker);

async function filledQueue(count: number) {
  const queue = uniqueName('con-flow');
  const topology = await fx.declare({ queues: { [queue]: { retry: { delays: ['200ms'] } } } });
  const ids = Array.from({ length: count }, (_, i) => `${queue}-${i}`);
  for (const id of ids) await fx.publish('', queue, { id }, { messageId: id });
  return { queue, topology, ids };
}

describe('flow control and shutdown', () => {
  it('never runs more handlers at once than the prefetch, and reaches it', async () => {
    const { queue, topology } = await filledQueue(60);
    const consumer = fx.consumer(topology);
    let running = 0;
    let most = 0;
    await consumer.consume(
      queue,
      async () => {
        most = Math.max(most, ++running);
        await sleep(15);
        running--;
      },
      { prefetch: 5 },
    );
    await until('all 60 messages', () => consumer.stats().acked === 60);
    expect(most).toBe(5);
  });

  it('loses nothing when closed during 50 slow in-flight handlers', async () => {
    const { queue, topology, ids } = await filledQueue(80);
    const consumer = fx.consumer(topology);
    const processed = new Set<string>();
    await consumer.consume(
      queue,
      async (_payload, ctx) => {
        // Half finish within the close timeout, half are still running when it ends and get aborted.
        await sleep(Number(ctx.messageId!.split('-').pop()) % 2 === 0 ? 200 : 10_000, ctx.signal);
        processed.add(ctx.messageId!);
      },
      { prefetch: 50 },
    );
    await until('50 deliveries', () => consumer.stats().delivered >= 50);
    await consumer.close({ timeoutMs: 1_000 });
    await consumer.close(); // idempotent
    expect(processed.size).toBeGreaterThanOrEqual(25);
    expect(processed.size).toBeLessThan(80);
    // A quorum queue (RabbitMQ 4.x) shows the messages a closed channel returned a few milliseconds later.
    await until(
      'the unprocessed messages back in the queue',
      async () => (await fx.depth(queue)) >= 80 - processed.size,
    );
    expect(await fx.depth(queue)).toBe(80 - processed.size);
    const back = (await fx.drain(queue)).map((m) => m.properties.messageId as string);
    expect(back.filter((id) => processed.has(id))).toEqual([]);
    expect(new Set([...processed, ...back])).toEqual(new Set(ids));
    expect(await fx.depth(`${queue}.retry.200ms`)).toBe(0);
  });

  it('loses nothing when a worker process is killed with SIGKILL mid-batch', async () => {
    const { queue, topology, ids } = await filledQueue(60);
    const worker = spawn(
      process.execPath,
      ['-r', 'tsx/cjs', '-r', './fixtures/resolveWorkspace.ts', './fixtures/worker.ts'],
      {
        cwd: __dirname,
        env: {
          ...process.env,
          AMQP_URL: broker.amqpUrl,
          QUEUE: queue,
          TOPOLOGY: JSON.stringify(topology),
          PREFETCH: '20',
          HANDLER_MS: '300',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const processed = new Set<string>();
    let stderr = '';
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    worker.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('done ')) processed.add(line.slice(5));
    });
    const exited = new Promise((resolve) => worker.on('exit', resolve));
    try {
      await until(`the worker to process a first batch (stderr: ${stderr})`, () => processed.size >= 20, 30_000);
    } finally {
      worker.kill('SIGKILL');
    }
    await exited;
    expect(processed.size).toBeLessThan(60);
    const consumer = fx.consumer(topology);
    await consumer.consume(queue, (_payload, ctx) => void processed.add(ctx.messageId!), { prefetch: 50 });
    await until('every message to be processed', () => processed.size === 60, 30_000);
    expect(new Set(processed)).toEqual(new Set(ids));
    await until('the queue to be empty', async () => (await fx.depth(queue)) === 0);
  }, 90_000); // the child compiles the sources with tsx first
});
