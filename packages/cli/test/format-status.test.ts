import type { TopologyStatus, WorkQueueStatus } from '@warren/topology';
import { formatStatus } from '../src/format-status';

const level = (name: string, ready: number, exists = true) => ({ name, exists, ready, unacked: 0, consumers: 0 });

describe('warren status: the delay ladder', () => {
  it('shows the total waiting and only the levels that hold messages', () => {
    const status: TopologyStatus = {
      vhost: '/',
      queues: [],
      delayLevels: [
        level('warren.delay.level.21', 0),
        level('warren.delay.level.06', 3),
        level('warren.delay.level.00', 1),
      ],
    };
    expect(formatStatus(status, 'topology.yaml').split('\n')).toEqual([
      `Status of topology.yaml in vhost '/':`,
      '',
      'delay ladder: 4 scheduled message(s) waiting in 3 levels',
      '  warren.delay.level.06: 3 waiting',
      '  warren.delay.level.00: 1 waiting',
    ]);
  });

  it('says so when levels are missing, and prints nothing when nothing is scheduled', () => {
    const missing: TopologyStatus = { vhost: '/', queues: [], delayLevels: [level('warren.delay.level.00', 0, false)] };
    expect(formatStatus(missing, 'f')).toContain('1 level(s) missing (warren apply creates them)');
    expect(formatStatus({ vhost: '/', queues: [], delayLevels: [] }, 'f')).toBe(`Status of f in vhost '/':`);
  });
});

describe('warren status: the verdict of a work queue', () => {
  const queue = (verdict: WorkQueueStatus['verdict']): WorkQueueStatus => ({
    name: 'orders',
    exists: true,
    ready: 12,
    unacked: 10,
    consumers: 1,
    tiers: [],
    deadLetter: null,
    policy: null,
    effectivePolicy: null,
    verdict,
  });
  const first = (verdict: WorkQueueStatus['verdict']): string =>
    formatStatus({ vhost: '/', queues: [queue(verdict)], delayLevels: [] }, 'f').split('\n')[2]!;

  it('says nothing more of a queue that moves, and names a stalled or unconsumed one', () => {
    expect(first('ok')).toBe('orders: 12 ready, 10 unacked, 1 consumer(s)');
    expect(first('stalled')).toBe(
      'orders: 12 ready, 10 unacked, 1 consumer(s) — stalled: ready messages and consumers, nothing delivered or ' +
        'acked in the last sample (~5 s)',
    );
    expect(first('unconsumed')).toContain('— no consumer for its ready messages');
  });
});
