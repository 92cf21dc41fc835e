import type { TopologyStatus } from '@warren/topology';
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
