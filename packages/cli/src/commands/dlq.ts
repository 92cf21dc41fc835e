import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEAD_LETTER_REASONS } from '@warren/core';
import { deadLetterQueueName, listDeadLetters, purgeDeadLetters, replayDeadLetters } from '@warren/topology';
import { CliUsageError, exitWith, INTERRUPTED } from '../errors';
import { formatListing, formatPurge, formatReplay, json } from '../format';
import { interruptible } from '../interrupt';
import { line, type CliIo } from '../io';
import { startProgress } from '../progress';
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
    .addOption(
      new Option(
        '--filter-reason <reason>',
        "move only messages dead-lettered for this reason (Warren's x-warren-reason, or the broker's x-death)",
      ).choices(DEAD_LETTER_REASONS),
    )
    .option('--json', 'print the result as JSON');
  withConnectionOptions(replay).action(async (queue: string, flags: DlqFlags) => replayCommand(queue, flags, io));
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

async function replayCommand(queue: string, flags: DlqFlags, io: CliIo): Promise<void> {
  const progress = startProgress(io, 'moved');
  const result = await interruptible(io, () =>
    replayDeadLetters(queue, {
      ...targetOf(flags, io),
      name: CONNECTION_NAME,
      ...(flags.limit === undefined ? {} : { limit: flags.limit }),
      ...(flags.filterReason === undefined ? {} : { filterReason: flags.filterReason }),
      onProgress: ({ moved, skipped, total }) => progress.update(moved + skipped, total),
      ...(io.signal ? { signal: io.signal } : {}),
    }),
  ).finally(() => progress.stop());
  line(io.stdout, flags.json ? json(result) : formatReplay(result));
  if (result.interrupted) {
    line(io.stderr, `Interrupted: moved ${result.moved} of ${result.total} — run again to continue.`);
    exitWith(INTERRUPTED);
  }
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a positive integer.');
  return number;
}
