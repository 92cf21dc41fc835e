import { isKnownExchangeArgument, MUTABLE_QUEUE_ARGUMENTS, queueTypesFor } from '../model/arguments';
import type { BindingDefinition, QueueDefinition, Topology } from '../model/schema';
import { locationOf } from './locations';
import { exchangeTypeOf } from '../model/routing';
import { formatPath, type IssuePath } from './validation-error';

/** Settings RabbitMQ accepts and then silently ignores or downgrades; each code is documented in the README. */
export type LintCode =
  | 'QUORUM_REJECT_PUBLISH_DLX'
  | 'AT_LEAST_ONCE_DOWNGRADED'
  | 'QUORUM_ONLY_SETTING'
  | 'DEAD_LETTER_DISABLED'
  | 'UNKNOWN_ARGUMENT'
  | 'MUTABLE_ARGUMENT'
  | 'ARGUMENT_IGNORED'
  | 'EXCLUSIVE_QUEUE'
  | 'TRANSIENT_QUEUE'
  | 'RETRY_DELAYS_NOT_INCREASING'
  | 'ROUTING_KEY_IGNORED'
  | 'WILDCARD_ON_DIRECT_EXCHANGE';

/** A setting that is valid but will not do what it says. */
export interface LintWarning {
  /** Where, as in validation issues: `queues.billing.limits.overflow`. */
  readonly path: string;
  readonly code: LintCode;
  /** What RabbitMQ will actually do, and how to fix it. */
  readonly message: string;
  /** 1-based line (and column) in the YAML/JSON file, when the topology came from `loadTopologyFile`. */
  readonly line?: number;
  readonly column?: number;
}

interface RawWarning {
  readonly path: IssuePath;
  readonly code: LintCode;
  readonly message: string;
}

type Rule = (name: string, queue: QueueDefinition, topology: Topology) => RawWarning[];

/**
 * Warnings about a valid topology: settings RabbitMQ accepts and then silently ignores or downgrades (so the
 * queue would not behave as the file reads). Never throws; an empty list means nothing to report.
 */
export function lintTopology(topology: Topology): LintWarning[] {
  const queueRules: Rule[] = [
    overflowRules,
    quorumOnlyRules,
    deadLetterRules,
    propertyRules,
    retryRules,
    argumentRules,
  ];
  const raw = [
    ...Object.entries(topology.queues).flatMap(([name, queue]) =>
      queueRules.flatMap((rule) => rule(name, queue, topology)),
    ),
    ...Object.entries(topology.exchanges).flatMap(([name, exchange]) => [
      ...exchangeArgumentRules(name, exchange.arguments),
      ...bindingRules(['exchanges', name], exchange.bindings, topology),
    ]),
  ];
  return raw.map(({ path, code, message }) => ({
    path: formatPath(path),
    code,
    message,
    ...locationOf(topology, path),
  }));
}

const warning = (path: IssuePath, code: LintCode, message: string): RawWarning => ({ path, code, message });

function overflowRules(name: string, queue: QueueDefinition): RawWarning[] {
  if (queue.type !== 'quorum') return [];
  const { overflow, deadLetterStrategy } = queue.limits;
  const path = ['queues', name, 'limits'];
  const warnings: RawWarning[] = [];
  if (overflow === 'reject-publish-dlx')
    warnings.push(
      warning(
        [...path, 'overflow'],
        'QUORUM_REJECT_PUBLISH_DLX',
        'quorum queues treat reject-publish-dlx as drop-head: when full, the oldest message is dropped (or ' +
          'dead-lettered) and publishers are not told. Use `overflow: reject-publish` so publishers get a nack',
      ),
    );
  if (deadLetterStrategy === 'at-least-once' && overflow !== undefined && overflow !== 'reject-publish')
    warnings.push(
      warning(
        [...path, 'deadLetterStrategy'],
        'AT_LEAST_ONCE_DOWNGRADED',
        `at-least-once dead-lettering needs \`overflow: reject-publish\`; with ${overflow} RabbitMQ silently ` +
          'falls back to at-most-once (a dead letter can be lost). Set `overflow: reject-publish`',
      ),
    );
  return warnings;
}

function quorumOnlyRules(name: string, queue: QueueDefinition): RawWarning[] {
  if (queue.type !== 'classic') return [];
  return (['deliveryLimit', 'deadLetterStrategy'] as const)
    .filter((key) => queue.limits[key] !== undefined)
    .map((key) =>
      warning(
        ['queues', name, 'limits', key],
        'QUORUM_ONLY_SETTING',
        `${key} only applies to quorum queues; a classic queue ignores it. Remove it, or use \`type: quorum\``,
      ),
    );
}

function deadLetterRules(name: string, queue: QueueDefinition): RawWarning[] {
  if (queue.deadLetter) return [];
  const failures = queue.retry === false ? 'non-retryable failures' : 'failures that exhaust their retries';
  const ownDlx = queue.arguments['x-dead-letter-exchange'];
  const brokerSide = `messages the broker dead-letters (rejected, expired, dropped by a length limit${
    queue.type === 'quorum' ? ', over the delivery limit' : ''
  })`;
  const message =
    typeof ownDlx === 'string'
      ? `the broker dead-letters to ${JSON.stringify(ownDlx)}, but Warren's consumer has no dead-letter queue: ` +
        `${failures} are dropped. Remove \`deadLetter: false\` unless that is intended`
      : `without a dead-letter queue, ${brokerSide} and ${failures} are dropped silently. ` +
        'Remove `deadLetter: false` unless losing them is intended';
  return [warning(['queues', name, 'deadLetter'], 'DEAD_LETTER_DISABLED', message)];
}

function propertyRules(name: string, queue: QueueDefinition): RawWarning[] {
  if (queue.type !== 'classic') return []; // quorum queues with these properties are validation errors
  const path = ['queues', name];
  const warnings: RawWarning[] = [];
  if (queue.exclusive)
    warnings.push(
      warning(
        [...path, 'exclusive'],
        'EXCLUSIVE_QUEUE',
        'an exclusive queue belongs to the connection that declares it and is deleted with it: `warren apply` ' +
          'would create it and lose it at once. Declare exclusive queues in the application instead',
      ),
    );
  if (!queue.durable || queue.autoDelete)
    warnings.push(
      warning(
        [...path, queue.durable ? 'autoDelete' : 'durable'],
        'TRANSIENT_QUEUE',
        `this queue ${queue.durable ? 'is deleted with its messages when its last consumer goes' : 'and its messages are lost when the broker restarts'}` +
          '; use it only for data you can lose',
      ),
    );
  return warnings;
}

function retryRules(name: string, queue: QueueDefinition): RawWarning[] {
  const delays = queue.retry === false ? [] : queue.retry.delays;
  const drop = delays.findIndex((delay, i) => i > 0 && delay < (delays[i - 1] ?? 0));
  if (drop === -1) return [];
  return [
    warning(
      ['queues', name, 'retry', 'delays', drop],
      'RETRY_DELAYS_NOT_INCREASING',
      'retry delays are used in the order listed (the first failure waits delays[0]); this one is shorter than ' +
        'the one before it. List them from shortest to longest unless that is intended',
    ),
  ];
}

function argumentRules(name: string, queue: QueueDefinition, topology: Topology): RawWarning[] {
  const args = Object.keys(queue.arguments).flatMap((key) => {
    const path = ['queues', name, 'arguments', key];
    const types = queueTypesFor(key);
    if (types === undefined)
      return [
        warning(
          path,
          'UNKNOWN_ARGUMENT',
          `RabbitMQ accepts unknown arguments and ignores them: check the spelling of ${JSON.stringify(key)}`,
        ),
      ];
    const setting = MUTABLE_QUEUE_ARGUMENTS[key];
    if (setting !== undefined && types.includes(queue.type))
      return [
        warning(
          path,
          'MUTABLE_ARGUMENT',
          `as an x-argument, ${key} can only change by deleting the queue (and the broker combines it with the ` +
            `policy): prefer \`${setting}\`, which goes into the queue's policy. Keep it only to match an existing queue`,
        ),
      ];
    if (types.includes(queue.type)) return [];
    return [
      warning(
        path,
        'ARGUMENT_IGNORED',
        `${queue.type} queues ignore ${key}${types.length ? ` (${types.join('/')} only)` : ' (streams only)'}`,
      ),
    ];
  });
  return [...args, ...bindingRules(['queues', name], queue.bindings, topology)];
}

function exchangeArgumentRules(name: string, args: Readonly<Record<string, unknown>>): RawWarning[] {
  return Object.keys(args)
    .filter((key) => !isKnownExchangeArgument(key))
    .map((key) =>
      warning(
        ['exchanges', name, 'arguments', key],
        'UNKNOWN_ARGUMENT',
        `RabbitMQ accepts unknown exchange arguments and ignores them (the one exchange argument is ` +
          `alternate-exchange): check ${JSON.stringify(key)}`,
      ),
    );
}

function bindingRules(owner: IssuePath, bindings: readonly BindingDefinition[], topology: Topology): RawWarning[] {
  return bindings.flatMap((binding, i) => {
    const type = exchangeTypeOf(topology, binding.exchange);
    const path = [...owner, 'bindings', i, 'routingKey'];
    if ((type === 'fanout' || type === 'headers') && binding.routingKey !== '')
      return [
        warning(
          path,
          'ROUTING_KEY_IGNORED',
          `${type} exchanges ignore the routing key: remove it (or use a topic exchange)`,
        ),
      ];
    if (type === 'direct' && /[*#]/.test(binding.routingKey))
      return [
        warning(
          path,
          'WILDCARD_ON_DIRECT_EXCHANGE',
          'a direct exchange matches routing keys literally, so * and # are not wildcards here: use a topic exchange',
        ),
      ];
    return [];
  });
}
