import { connect } from 'amqplib';
import { ManagementClient } from '@warren/topology';
import { uniqueName, useBroker, useTopology } from '../../src';

const broker = useBroker();
const exchange = uniqueName('warren-testing-events');
const queue = uniqueName('warren-testing-work');
const tracked = broker.trackQueue(uniqueName('warren-testing-tracked'));
const topology = useTopology(broker, {
  exchanges: { [exchange]: { type: 'topic' } },
  queues: {
    [queue]: {
      type: 'quorum',
      bindings: [{ exchange, routingKey: 'thing.*' }],
      retry: { delays: ['1s'] },
      deadLetter: true,
    },
  },
});

// Runs after useBroker's afterAll (jest runs afterAll hooks in declaration order): everything must be gone.
afterAll(async () => {
  const api = new ManagementClient(broker.managementUrl, broker.vhost);
  const names = new Set([...(await api.queues(['name'])), ...(await api.exchanges())].map((o) => o.name));
  const leftovers = [tracked, exchange, ...topology.queues.map((q) => q.name)].filter((name) => names.has(name));
  expect(leftovers).toEqual([]);
});

describe('useTopology', () => {
  it('applies the topology before the tests: the binding routes and the derived queues exist', async () => {
    expect(topology.queues.map((q) => q.name).sort()).toEqual([queue, `${queue}.dlq`, `${queue}.retry.1s`]);
    const connection = await connect(broker.amqpUrl);
    connection.on('error', () => undefined);
    try {
      const channel = await connection.createConfirmChannel();
      channel.publish(exchange, 'thing.created', Buffer.from('{}'), { persistent: true });
      await channel.waitForConfirms();
      expect((await channel.checkQueue(queue)).messageCount).toBe(1);
      await channel.assertQueue(tracked, { durable: false });
    } finally {
      await connection.close();
    }
  });
});
