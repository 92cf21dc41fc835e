import { InvalidArgumentError, type Command } from 'commander';
import { deadLetterQueueName, listDeadLetters, purgeDeadLetters, replayDeadLetters } from '@warren/topology';
import { CliUsageError } from '../errors';
import { formatListing, formatPurge, formatReplay, json } from '../format';
import { line, type CliIo } from '../io';
import { targetOf, withConnectionOptions, type ConnectionFlags } from '../target';

interface DlqFlags extends ConnectionFlags {
  readonly limit?: number;
  readonly json?: boolean;
  readonly filterReason?: string;
  readonly yes?: boolean;
  readonly showBody?: boolean;
}

/** Connection name shown in the management UI while a dlq command runs. */
const CONNECTION_NAME = 'warren-cli dlq';

export function registerDlq(program: Command, io: CliIo): void {
  const dlq = program
    .command('dlq')
    .summary("inspect, replay or purge a work queue's dead letters (<queue>.dlq)")
    .description(
      'Operate on the parking lot of a work queue: the messages in <queue>.dlq, put there by a Warren consumer ' +
        '(x-warren-* headers) or by the broker (x-death: rejected, expired, maxlen, delivery_limit).',
    );
  const list = dlq
    .command('list')
    .summary('show the parked messages without removing them')
    .description(
      'Show the parked messages of <queue>.dlq without removing them (read with basic.get, then returned to the ' +
        'queue): messageId, reason, error, attempts, first/last failure, original routing key, x-death.',
    )
    .argument('<queue>', 'the work queue (not the .dlq)')
    .option('--limit <n>', 'show at most this many messages', positiveInteger, 20)
    .option('--show-body', 'also show each message body (UTF-8; up to 500 characters unless --json)')
    .option('--json', 'print the listing as JSON');
  withConnectionOptions(list).action(async (queue: string, flags: DlqFlags) => {
    const listing = await listDeadLetters(queue, {
      ...targetOf(flags, io),
      name: CONNECTION_NAME,
      limit: flags.limit,
      includeBody: flags.showBody ?? false,
    });
    line(io.stdout, flags.json ? json(listing) : formatListing(listing));
  });
  const replay = dlq
    .command('replay')
    .summary('move parked messages back to the work queue, with fresh retries')
    .description(
      "Move messages from <queue>.dlq back to <queue>, with a fresh set of retries (Warren's attempt and failure " +
        'headers removed, messageId kept). Each message is acked in the dead-letter queue only after the broker ' +
        'confirmed its re-publish: a failure half-way loses nothing (at worst a duplicate, same messageId).',
    )
    .argument('<queue>', 'the work queue (not the .dlq)')
    .option('--limit <n>', 'move at most this many messages (default: all)', positiveInteger)
    .option('--filter-reason <reason>', 'move only messages dead-lettered for this reason (x-warren-reason or x-death)')
    .option('--json', 'print the result as JSON');
  withConnectionOptions(replay).action(async (queue: string, flags: DlqFlags) => {
    const result = await replayDeadLetters(queue, {
      ...targetOf(flags, io),
      name: CONNECTION_NAME,
      ...(flags.limit === undefined ? {} : { limit: flags.limit }),
      ...(flags.filterReason === undefined ? {} : { filterReason: flags.filterReason }),
    });
    line(io.stdout, flags.json ? json(result) : formatReplay(result));
  });
  const purge = dlq
    .command('purge')
    .summary('delete the parked messages (requires --yes)')
    .description('Delete every parked message of <queue>.dlq. Irreversible: requires --yes.')
    .argument('<queue>', 'the work queue (not the .dlq)')
    .option('--yes', 'confirm the deletion')
    .option('--json', 'print the result as JSON');
  withConnectionOptions(purge).action(async (queue: string, flags: DlqFlags) => {
    if (!flags.yes) {
      throw new CliUsageError(
        'CONFIRMATION_REQUIRED',
        `Refusing to purge ${deadLetterQueueName(queue)} without --yes: its messages would be deleted for good. ` +
          `Inspect them first with \`warren dlq list ${queue}\`.`,
      );
    }
    const result = await purgeDeadLetters(queue, { ...targetOf(flags, io), name: CONNECTION_NAME });
    line(io.stdout, flags.json ? json(result) : formatPurge(result));
  });
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive integer.');
  return number;
}
