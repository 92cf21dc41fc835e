import { fakePublisher, flush } from './fakes';

describe("the 'bufferFull' event", () => {
  it('fires on the transitions only: once when publishes first find the buffer full, once when it has room', async () => {
    const { publisher, manager } = fakePublisher({ maxBufferMessages: 2 });
    const events: boolean[] = [];
    publisher.on('bufferFull', ({ full }) => events.push(full));
    const held = [publisher.publishRaw('x', 'k', {}), publisher.publishRaw('x', 'k', {})];
    const refused = [1, 2, 3].map(() => publisher.publishRaw('x', 'k', {}).catch(() => 'refused'));
    expect(await Promise.all(refused)).toEqual(['refused', 'refused', 'refused']);
    expect(events).toEqual([true]);

    const connection = await manager.connect();
    connection.channel.ack(1);
    await flush();
    expect(events).toEqual([true, false]);
    connection.channel.ack(2);
    await Promise.all(held);
    expect(events).toEqual([true, false]);
  });

  it("fires for publishes that wait for room (whenBufferFull: 'wait') and ends when none waits", async () => {
    const { publisher, manager } = fakePublisher({ maxBufferMessages: 1, whenBufferFull: 'wait' });
    const events: { full: boolean; messages: number }[] = [];
    publisher.on('bufferFull', ({ full, messages }) => events.push({ full, messages }));
    const publishes = [1, 2, 3].map(() => publisher.publishRaw('x', 'k', {}));
    expect(events).toEqual([{ full: true, messages: 1 }]);
    const connection = await manager.connect();
    for (let tag = 1; tag <= 3; tag++) {
      connection.channel.ack(tag);
      await flush();
    }
    await Promise.all(publishes);
    expect(events).toEqual([
      { full: true, messages: 1 },
      { full: false, messages: 0 },
    ]);
  });
});
