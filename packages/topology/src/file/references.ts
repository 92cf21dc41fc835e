import { schedulingProblems } from '../model/delay-ladder';
import { DEAD_LETTER_ARGUMENTS, isIntegerKey, QUEUE_TYPE_ARGUMENT } from '../model/arguments';
import { suggestion } from '../model/did-you-mean';
import { deadLetterExchangeName, deadLetterQueueName, formatDelay, retryQueueName } from '../model/names';
import { PREDECLARED_EXCHANGES } from '../model/routing';
import type { BindingDefinition, QueueDefinition, Topology } from '../model/schema';
import { scheduleReferenceIssues } from './schedule-references';
import type { IssuePath } from './validation-error';

/** An issue before it is located in a file. @internal */
export interface RawIssue {
  readonly path: IssuePath;
  readonly message: string;
}

const MAX_NAME_BYTES = 255;

/**
 * The checks the schema cannot make: references to undeclared exchanges, names RabbitMQ refuses, names that
 * collide with the objects Warren derives (`q.dlq`, `q.dlx`, `q.retry.<delay>`), arguments Warren owns, and
 * queue properties a quorum queue cannot have (the broker refuses those with 406 at declare time).
 * @internal
 */
export function crossReferenceIssues(topology: Topology, skipEntryChecks: ReadonlySet<string> = new Set()): RawIssue[] {
  const checked = <T>(kind: string, record: Readonly<Record<string, T>>) =>
    Object.entries(record).filter(([name]) => !skipEntryChecks.has(`${kind}/${name}`));
  return [
    ...Object.keys(topology.exchanges).flatMap((name) => nameIssues(['exchanges', name], name, 'exchange')),
    ...Object.keys(topology.queues).flatMap((name) => nameIssues(['queues', name], name, 'queue')),
    ...bindingIssues(topology),
    ...collisionIssues(topology),
    ...schedulingProblems(topology),
    ...checked('queues', topology.queues).flatMap(([name, queue]) => queueIssues(name, queue)),
    ...checked('exchanges', topology.exchanges).flatMap(([name, exchange]) =>
      integerArgumentIssues(['exchanges', name, 'arguments'], exchange.arguments),
    ),
    ...scheduleReferenceIssues(topology),
  ];
}

function nameIssues(path: IssuePath, name: string, kind: 'exchange' | 'queue'): RawIssue[] {
  if (name.trim() === '') return [{ path, message: `a ${kind} needs a non-empty name` }];
  if (name.startsWith('amq.'))
    return [{ path, message: `names starting with "amq." are reserved by RabbitMQ: rename the ${kind}` }];
  if (Buffer.byteLength(name) > MAX_NAME_BYTES)
    return [{ path, message: `RabbitMQ names are at most ${MAX_NAME_BYTES} bytes: shorten the ${kind} name` }];
  return [];
}

function bindingIssues(topology: Topology): RawIssue[] {
  const declared = Object.keys(topology.exchanges);
  const check = (owner: IssuePath, bindings: readonly BindingDefinition[]): RawIssue[] =>
    bindings.flatMap((binding, i) => sourceIssues([...owner, 'bindings', i, 'exchange'], binding.exchange, declared));
  return [
    ...Object.entries(topology.exchanges).flatMap(([name, exchange]) => check(['exchanges', name], exchange.bindings)),
    ...Object.entries(topology.queues).flatMap(([name, queue]) => check(['queues', name], queue.bindings)),
  ];
}

function sourceIssues(path: IssuePath, exchange: string, declared: readonly string[]): RawIssue[] {
  if (declared.includes(exchange) || Object.hasOwn(PREDECLARED_EXCHANGES, exchange)) return [];
  if (exchange === '')
    return [{ path, message: 'the default exchange ("") routes by queue name and takes no bindings: remove it' }];
  const known = declared.length === 0 ? 'none are declared' : `declared: ${declared.join(', ')}`;
  return [
    {
      path,
      message:
        `exchange ${JSON.stringify(exchange)} is not declared: add it under \`exchanges\` ` +
        `(${known})${suggestion(exchange, declared)}`,
    },
  ];
}

interface Claim {
  readonly path: IssuePath;
  readonly what: string;
}

/** Every exchange and queue name must have one owner, whether the file declares it or Warren derives it. */
function collisionIssues(topology: Topology): RawIssue[] {
  const issues: RawIssue[] = [];
  const claim = (names: Map<string, Claim>, name: string, claimant: Claim): void => {
    if (claimant.what !== '' && Buffer.byteLength(name) > MAX_NAME_BYTES)
      issues.push({
        path: claimant.path,
        message: `${claimant.what} would be ${JSON.stringify(name)}, over RabbitMQ's ${MAX_NAME_BYTES}-byte limit: shorten the queue name`,
      });
    const owner = names.get(name);
    if (owner === undefined) names.set(name, claimant);
    else issues.push({ path: claimant.path, message: collisionMessage(name, owner, claimant) });
  };
  const exchanges = new Map<string, Claim>();
  const queues = new Map<string, Claim>();
  for (const name of Object.keys(topology.exchanges)) claim(exchanges, name, { path: ['exchanges', name], what: '' });
  for (const name of Object.keys(topology.queues)) claim(queues, name, { path: ['queues', name], what: '' });
  for (const [name, queue] of Object.entries(topology.queues)) {
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) continue; // reported by nameIssues; its derived names would be too
    if (queue.deadLetter) {
      const what = `the dead-letter queue Warren derives for queue ${JSON.stringify(name)}`;
      claim(queues, deadLetterQueueName(name), { path: ['queues', name, 'deadLetter'], what });
      const dlx = `the dead-letter exchange Warren derives for queue ${JSON.stringify(name)}`;
      claim(exchanges, deadLetterExchangeName(name), { path: ['queues', name, 'deadLetter'], what: dlx });
    }
    const delays = queue.retry === false ? [] : queue.retry.delays;
    delays.forEach((delay, i) => {
      const path = ['queues', name, 'retry', 'delays', i];
      const first = delays.indexOf(delay);
      if (first < i) {
        const message = `${formatDelay(delay)} is already delays[${first}]: each retry tier needs a different delay`;
        issues.push({ path, message });
        return;
      }
      const what = `the ${formatDelay(delay)} retry tier Warren derives for queue ${JSON.stringify(name)}`;
      claim(queues, retryQueueName(name, delay), { path, what });
    });
  }
  return issues;
}

function collisionMessage(name: string, owner: Claim, claimant: Claim): string {
  const first = owner.what || `the ${owner.path[0] === 'exchanges' ? 'exchange' : 'queue'} declared in the file`;
  return (
    `${JSON.stringify(name)} is both ${first} and ${claimant.what}: rename one of them ` +
    `(Warren derives <queue>.retry.<delay>, <queue>.dlq and <queue>.dlx)`
  );
}

function queueIssues(name: string, queue: QueueDefinition): RawIssue[] {
  const path: IssuePath = ['queues', name];
  const issues: RawIssue[] = [];
  if (queue.type === 'quorum') {
    const refused = (key: string, why: string) =>
      issues.push({ path: [...path, key], message: `a quorum queue ${why}: remove it, or use \`type: classic\`` });
    if (!queue.durable) refused('durable', 'is always durable');
    if (queue.exclusive) refused('exclusive', 'cannot be exclusive');
    if (queue.autoDelete) refused('autoDelete', 'cannot be auto-delete');
  }
  const args = Object.keys(queue.arguments);
  if (args.includes(QUEUE_TYPE_ARGUMENT))
    issues.push({
      path: [...path, 'arguments', QUEUE_TYPE_ARGUMENT],
      message: 'Warren sets x-queue-type from `type`: write `type: quorum` or `type: classic` instead',
    });
  for (const key of queue.deadLetter ? args.filter((a) => DEAD_LETTER_ARGUMENTS.includes(a)) : [])
    issues.push({
      path: [...path, 'arguments', key],
      message:
        "Warren sets the dead-letter exchange to the queue's own `<queue>.dlx`: remove " +
        `${key}, or write \`deadLetter: false\` to dead-letter elsewhere yourself`,
    });
  return [...issues, ...integerArgumentIssues([...path, 'arguments'], queue.arguments)];
}

function integerArgumentIssues(path: IssuePath, args: Readonly<Record<string, unknown>>): RawIssue[] {
  return Object.entries(args)
    .filter(([key, value]) => isIntegerKey(key) && !/^\s*-?\d+\s*$/.test(String(value)))
    .map(([key, value]) => ({
      path: [...path, key],
      message: `${key} takes an integer, not ${JSON.stringify(value)}`,
    }));
}
