import { useBroker } from '../src';

// No broker: the probes say the local default answers, so useBroker resolves without touching the network.
const broker = useBroker({ env: {}, probes: { answers: async () => true } });
const tooEarly = capture(() => broker.amqpUrl);
const ran: string[] = [];
broker.teardown(async () => void ran.push('first registered'));
broker.teardown(async () => void ran.push('last registered'));

// Declared after useBroker, so it runs after useBroker's afterAll (jest runs afterAll hooks in declaration order).
afterAll(() => {
  expect(ran).toEqual(['last registered', 'first registered']);
});

describe('useBroker', () => {
  it('says when the broker is read before beforeAll has run', () => {
    expect(tooEarly).toBeInstanceOf(Error);
    expect((tooEarly as Error).message).toMatch(/after beforeAll/);
  });

  it('exposes the resolved URLs, source, vhost and one management client for that vhost', () => {
    expect(broker.amqpUrl).toBe('amqp://guest:guest@127.0.0.1:5672');
    expect(broker.managementUrl).toBe('http://guest:guest@127.0.0.1:15672');
    expect(broker.source).toBe('local');
    expect(broker.vhost).toBe('/');
    expect(broker.management.vhost).toBe('/');
    expect(broker.management).toBe(broker.management);
  });

  it('runs no cleanup before the tests are done', () => {
    expect(ran).toEqual([]);
  });
});

function capture(read: () => unknown): unknown {
  try {
    return read();
  } catch (error) {
    return error;
  }
}
