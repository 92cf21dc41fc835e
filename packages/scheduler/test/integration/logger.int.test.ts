import { parseTopology } from '@warren/topology';
import { recordingLogger, uniqueName, useBroker, waitFor } from '@warren/testing';
import { createScheduler } from '../../src';
import { confirmPublisher } from '../confirmPublisher';

const broker = useBroker();

describe('scheduler logger', () => {
  it('logs the lease it takes and its ticks, with its component', async () => {
    const queue = broker.trackQueue(uniqueName('log-ticks'));
    const lease = broker.trackQueue(uniqueName('log-lease'));
    broker.trackQueue(`${lease}.ticks`);
    const topology = parseTopology({
      queues: { [queue]: { type: 'classic', deadLetter: false } },
      schedules: { beat: { every: '1s', exchange: '', routingKey: queue } },
    });
    const publisher = confirmPublisher(broker.amqpUrl);
    broker.teardown(() => publisher.close());
    const log = recordingLogger();
    const scheduler = createScheduler({
      urls: broker.amqpUrl,
      topology,
      publisher,
      leaseQueue: lease,
      logger: log.logger,
    });
    broker.teardown(() => scheduler.close());
    const find = (msg: string) => log.find('warren-scheduler', msg);
    await waitFor('a tick line', 10_000, async () => (find('tick published').length > 0 ? true : undefined), 20);
    expect(find('took the lease: firing the ticks')).toEqual([expect.objectContaining({ level: 'info' })]);
    expect(find('tick published')[0]).toEqual(
      expect.objectContaining({ level: 'debug', schedule: 'beat', messageId: expect.stringMatching(/^beat@/) }),
    );
  });
});
