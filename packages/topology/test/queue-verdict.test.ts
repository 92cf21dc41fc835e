import { queueVerdict } from '../src';

const idle = { exists: true, ready: 0, consumers: 1, deliverRate: 0, ackRate: 0 };

describe('queueVerdict', () => {
  it('is ok for an empty or missing queue', () => {
    expect(queueVerdict(idle)).toBe('ok');
    expect(queueVerdict({ ...idle, exists: false, ready: 5 })).toBe('ok');
  });

  it('is stalled with ready messages and consumers but nothing delivered or acked', () => {
    expect(queueVerdict({ ...idle, ready: 5 })).toBe('stalled');
  });

  it('is ok while deliveries or acks happen', () => {
    expect(queueVerdict({ ...idle, ready: 5, deliverRate: 0.2 })).toBe('ok');
    expect(queueVerdict({ ...idle, ready: 5, ackRate: 3 })).toBe('ok');
  });

  it('is unconsumed with ready messages and no consumer', () => {
    expect(queueVerdict({ ...idle, ready: 5, consumers: 0 })).toBe('unconsumed');
  });
});
