import { suggestion } from '../model/did-you-mean';
import { PREDECLARED_EXCHANGES } from '../model/routing';
import type { Topology } from '../model/schema';
import type { IssuePath } from './validation-error';

interface RawIssue {
  readonly path: IssuePath;
  readonly message: string;
}

/**
 * A schedule's `exchange` must be declared in the file, predeclared (`amq.*`), or `""` (the default exchange, which
 * routes by queue name: then `routingKey` must name a queue of the file). @internal
 */
export function scheduleReferenceIssues(topology: Topology): RawIssue[] {
  const declared = Object.keys(topology.exchanges);
  return Object.entries(topology.schedules ?? {}).flatMap(([name, schedule]): RawIssue[] => {
    const path = ['schedules', name, 'exchange'];
    const exchange = schedule.exchange;
    if (name.trim() === '') return [{ path: ['schedules', name], message: 'a schedule needs a non-empty name' }];
    if (exchange === undefined || declared.includes(exchange) || Object.hasOwn(PREDECLARED_EXCHANGES, exchange))
      return [];
    if (exchange === '') {
      if (Object.hasOwn(topology.queues, schedule.routingKey)) return [];
      const queues = Object.keys(topology.queues);
      const message =
        `the default exchange ("") routes by queue name, and \`routingKey\` ${JSON.stringify(schedule.routingKey)} ` +
        `is not a queue of this file${suggestion(schedule.routingKey, queues)}`;
      return [{ path: ['schedules', name, 'routingKey'], message }];
    }
    const known = declared.length === 0 ? 'none are declared' : `declared: ${declared.join(', ')}`;
    const message = `exchange ${JSON.stringify(exchange)} is not declared: add it under \`exchanges\` (${known})${suggestion(exchange, declared)}`;
    return [{ path, message }];
  });
}
