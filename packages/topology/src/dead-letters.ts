import { connect, type Channel, type ChannelModel, type ConfirmChannel, type GetMessage, type Options } from 'amqplib';
import { fatalConnectError, describeError } from './connection';
import { WarrenError } from './errors';
import { deadLetterQueueName, HEADERS } from './names';
import { resolveTarget } from './target';
import { redactUrl, splitUrls, vhostOf } from './url';

/**
 * Operations on a work queue's parking lot (`q.dlq`): list what is parked without losing it, replay it into the
 * work queue with a fresh set of retries, purge it. One short-lived connection per call (these are operator
 * actions, not a hot path).
 */
export interface DeadLetterOptions {
  /** One AMQP URL, or several comma-separated (the nodes of a cluster, tried in turn), as in `AMQP_URL`. */
  readonly amqpUrl: string;
  /** @default the vhost of the first AMQP URL (`/`) */
  readonly vhost?: string;
  /** Connection name shown in the management UI. @default 'warren-dead-letters' */
  readonly name?: string;
}

export interface ListDeadLettersOptions extends DeadLetterOptions {
  /** How many messages to show at most. @default 20 */
  readonly limit?: number;
  /** Include each message's body (decoded as UTF-8) in `ParkedMessage.body`. Off by default: bodies may hold personal data. @default false */
  readonly includeBody?: boolean;
}

export interface ReplayDeadLettersOptions extends DeadLetterOptions {
  /** How many messages to move at most. @default Infinity (all) */
  readonly limit?: number;
  /** Move only messages whose dead-letter reason (`x-warren-reason`, or the broker's `x-death` reason) is this. */
  readonly filterReason?: string;
}

/** One `x-death` entry: the broker dead-lettered the message (reject, expiry, length limit, delivery limit). */
export interface DeathRecord {
  readonly queue: string;
  readonly reason: string;
  readonly count: number;
  readonly exchange: string;
  readonly routingKeys: readonly string[];
  /** ISO-8601, when the broker recorded it. */
  readonly time: string | null;
}

/** What is known about a parked message, from Warren's `x-warren-*` headers or the broker's `x-death`. */
export interface ParkedMessage {
  readonly messageId: string | null;
  /** `warren` when a Warren consumer parked it (it has `x-warren-reason`), `broker` for a broker-side dead letter. */
  readonly source: 'warren' | 'broker';
  readonly reason: string | null;
  readonly error: string | null;
  /** `x-warren-attempt`, or the `count` of the latest `x-death` entry. */
  readonly attempts: number | null;
  readonly firstFailureAt: string | null;
  readonly lastFailureAt: string | null;
  readonly originalExchange: string | null;
  readonly originalRoutingKey: string | null;
  /** Most recent first, as the broker keeps them. */
  readonly deaths: readonly DeathRecord[];
  readonly contentType: string | null;
  readonly bytes: number;
  /** The body as UTF-8 text, only when listed with `includeBody`. */
  readonly body?: string;
}

export interface DeadLetterListing {
  readonly queue: string;
  readonly deadLetterQueue: string;
  /** Ready messages in the dead-letter queue when the listing started. */
  readonly total: number;
  readonly messages: readonly ParkedMessage[];
}

export interface ReplayResult {
  readonly queue: string;
  readonly deadLetterQueue: string;
  /** Messages re-published to the work queue (confirmed) and then removed from the dead-letter queue. */
  readonly moved: number;
  /** Messages left in the dead-letter queue because they did not match `filterReason`. */
  readonly skipped: number;
}

export interface PurgeResult {
  readonly queue: string;
  readonly deadLetterQueue: string;
  readonly purged: number;
}

/**
 * A dead-letter operation failed. Codes: `QUEUE_NOT_FOUND` (404, the work queue or its `.dlq` does not exist),
 * `REPLAY_UNROUTABLE`, `REPLAY_REJECTED` (the broker did not confirm a re-publish; `moved` says how many made it
 * before), `BROKER_UNREACHABLE`, `BROKER_ERROR`.
 */
export class DeadLetterError extends WarrenError {
  /** For replay errors: how many messages were moved before the failure. */
  readonly moved?: number;
  constructor(code: string, message: string, options: { cause?: unknown; replyCode?: number; moved?: number } = {}) {
    super(code, message, options);
    if (options.moved !== undefined) this.moved = options.moved;
  }
}

/** Headers Warren or the broker set on failure: removed on replay so the message gets a full set of retries again. */
const FAILURE_HEADERS: readonly string[] = [
  HEADERS.attempt,
  HEADERS.error,
  HEADERS.reason,
  HEADERS.queue,
  HEADERS.firstFailureAt,
  HEADERS.lastFailureAt,
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-last-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
  'x-delivery-count',
];

/**
 * Reads up to `limit` messages of `q.dlq` without removing them: they are fetched with `basic.get` (not acked)
 * and returned with `basic.nack(requeue)` before the channel closes. A `nack`, because RabbitMQ 4.3's quorum queues
 * count a `reject` or a channel close against the delivery limit (20 by default) and a `nack` not.
 */
export async function listDeadLetters(queue: string, options: ListDeadLettersOptions): Promise<DeadLetterListing> {
  const deadLetterQueue = deadLetterQueueName(queue);
  return withChannel(options, false, async (channel, model) => {
    const total = (await checkQueue(model, options, deadLetterQueue, queue)).messageCount;
    const messages: ParkedMessage[] = [];
    const limit = options.limit ?? 20;
    while (messages.length < limit) {
      const message = await channel.get(deadLetterQueue, { noAck: false });
      if (message === false) break;
      const parked = describeParked(message);
      messages.push(options.includeBody ? { ...parked, body: message.content.toString('utf8') } : parked);
    }
    channel.nackAll(true);
    await untilReady(model, options, deadLetterQueue, total);
    return { queue, deadLetterQueue, total, messages };
  });
}

/**
 * Moves messages from `q.dlq` back to `q`: each is re-published through the default exchange (routing key `q`,
 * mandatory, on a confirm channel) with the same properties and `messageId`, minus the failure headers, and acked
 * in the dead-letter queue only after the broker confirmed the re-publish. A crash in between leaves a duplicate,
 * never a loss (at-least-once; duplicates are detectable by `messageId`).
 */
export async function replayDeadLetters(queue: string, options: ReplayDeadLettersOptions): Promise<ReplayResult> {
  const deadLetterQueue = deadLetterQueueName(queue);
  return withChannel(options, true, async (channel, model) => {
    await checkQueue(model, options, queue);
    // Only what is parked now: a consumer that dead-letters a replayed message at once must not make this loop forever.
    const parked = (await checkQueue(model, options, deadLetterQueue, queue)).messageCount;
    const limit = options.limit ?? Infinity;
    let moved = 0;
    let skipped = 0;
    while (moved < limit && moved + skipped < parked) {
      const message = await channel.get(deadLetterQueue, { noAck: false });
      if (message === false) break;
      // Held unacked until the end, so the loop does not fetch it again; the nack below puts it back.
      if (options.filterReason !== undefined && describeParked(message).reason !== options.filterReason) {
        skipped += 1;
        continue;
      }
      await republish(channel, queue, message, moved);
      channel.ack(message);
      moved += 1;
    }
    channel.nackAll(true);
    return { queue, deadLetterQueue, moved, skipped };
  });
}

/** Deletes every ready message of `q.dlq`. Irreversible: the CLI asks for `--yes`. */
export async function purgeDeadLetters(queue: string, options: DeadLetterOptions): Promise<PurgeResult> {
  const deadLetterQueue = deadLetterQueueName(queue);
  return withChannel(options, false, async (channel, model) => {
    await checkQueue(model, options, deadLetterQueue, queue);
    const { messageCount } = await channel.purgeQueue(deadLetterQueue);
    return { queue, deadLetterQueue, purged: messageCount };
  });
}

/**
 * The properties a replayed message is published with: the original ones, minus the failure headers, the
 * `expiration` (it may be why the message died) and the `userId` (the broker checks it against the replaying
 * user and would refuse the publish).
 */
export function replayProperties(message: Pick<GetMessage, 'properties'>): Options.Publish {
  const { headers, expiration: _expiration, clusterId: _clusterId, userId: _userId, ...rest } = message.properties;
  const kept = Object.fromEntries(Object.entries(headers ?? {}).filter(([key]) => !FAILURE_HEADERS.includes(key)));
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return { ...defined, headers: kept, mandatory: true };
}

/** Summarises a parked message from its headers (Warren's first, the broker's `x-death` otherwise). */
export function describeParked(message: Pick<GetMessage, 'properties' | 'content'>): ParkedMessage {
  const headers: Record<string, unknown> = message.properties.headers ?? {};
  const deaths = deathRecords(headers['x-death']);
  const latest = deaths[0];
  const warrenReason = text(headers[HEADERS.reason]);
  const times = deaths.map((death) => death.time).filter((time): time is string => time !== null);
  return {
    messageId: text(message.properties.messageId),
    source: warrenReason === null && latest ? 'broker' : 'warren',
    reason: warrenReason ?? latest?.reason ?? null,
    error: text(headers[HEADERS.error]),
    attempts: integer(headers[HEADERS.attempt]) ?? latest?.count ?? null,
    firstFailureAt: text(headers[HEADERS.firstFailureAt]) ?? times.at(-1) ?? null,
    lastFailureAt: text(headers[HEADERS.lastFailureAt]) ?? times[0] ?? null,
    originalExchange: text(headers[HEADERS.originalExchange]) ?? latest?.exchange ?? null,
    originalRoutingKey: text(headers[HEADERS.originalRoutingKey]) ?? latest?.routingKeys[0] ?? null,
    deaths,
    contentType: text(message.properties.contentType),
    bytes: message.content.length,
  };
}

function deathRecords(value: unknown): DeathRecord[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry: Record<string, unknown>) => ({
    queue: text(entry.queue) ?? '',
    reason: text(entry.reason) ?? '',
    count: integer(entry.count) ?? 1,
    exchange: text(entry.exchange) ?? '',
    routingKeys: Array.isArray(entry['routing-keys']) ? entry['routing-keys'].map(String) : [],
    time: timestamp(entry.time),
  }));
}

/** AMQP timestamps are seconds; amqplib gives a number or `{ '!': 'timestamp', value }`. */
function timestamp(value: unknown): string | null {
  const seconds = typeof value === 'object' && value !== null ? (value as { value?: unknown }).value : value;
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

function integer(value: unknown): number | null {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

async function republish(channel: ConfirmChannel, queue: string, message: GetMessage, moved: number): Promise<void> {
  let returned = false;
  const onReturn = (): void => {
    returned = true;
  };
  channel.once('return', onReturn);
  try {
    await new Promise<void>((resolve, reject) => {
      channel.publish('', queue, message.content, replayProperties(message), (error: unknown) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
      );
    });
  } catch (cause) {
    throw new DeadLetterError(
      'REPLAY_REJECTED',
      `The broker did not confirm the re-publish of message ${label(message)} to queue '${queue}' ` +
        `(is it full, with overflow reject-publish?). ${moved} message(s) were moved before; this one stays in ` +
        `the dead-letter queue.`,
      { cause, moved },
    );
  } finally {
    channel.removeListener('return', onReturn);
  }
  // A return (312 NO_ROUTE) arrives before the confirm: the queue vanished between the check and the publish.
  if (returned) {
    throw new DeadLetterError(
      'REPLAY_UNROUTABLE',
      `Queue '${queue}' did not accept message ${label(message)} (312 NO_ROUTE): does it still exist? ` +
        `${moved} message(s) were moved before; this one stays in the dead-letter queue.`,
      { replyCode: 312, moved },
    );
  }
}

function label(message: GetMessage): string {
  const id = text(message.properties.messageId);
  return id === null ? `#${message.fields.deliveryTag} (no messageId)` : `'${id}'`;
}

/**
 * Waits (up to 1 s) until the queue holds `count` ready messages again: quorum queues apply returned messages a
 * few milliseconds after the nack, and a `replay` right after a `list` should find all of them.
 */
async function untilReady(model: ChannelModel, options: DeadLetterOptions, queue: string, count: number) {
  for (let i = 0; i < 50; i++) {
    if ((await checkQueue(model, options, queue)).messageCount >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `checkQueue` on a throw-away channel: a missing queue closes the channel it was checked on (404), and the caller's
 * channel must survive.
 */
async function checkQueue(
  model: ChannelModel,
  options: DeadLetterOptions,
  name: string,
  workQueue?: string,
): Promise<{ messageCount: number }> {
  const channel = await model.createChannel();
  channel.on('error', () => undefined);
  try {
    return await channel.checkQueue(name);
  } catch (cause) {
    const hint =
      workQueue === undefined
        ? 'Check the name, the vhost, and that the topology was applied (warren apply).'
        : `Does '${workQueue}' have deadLetter enabled, and was the topology applied (warren apply)?`;
    throw brokerError(cause, `Queue '${name}' does not exist in ${where(options)}. ${hint}`);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

function where(options: DeadLetterOptions): string {
  const url = splitUrls(options.amqpUrl)[0];
  const vhost = options.vhost ?? (url === undefined ? '/' : vhostOf(url));
  return `vhost '${vhost}'${url === undefined ? '' : ` of ${redactUrl(url)}`}`;
}

/** Maps an amqplib error to a `DeadLetterError`, keeping the reply code (404 → `QUEUE_NOT_FOUND`). */
function brokerError(cause: unknown, notFound: string): DeadLetterError {
  const replyCode = (cause as { code?: unknown })?.code;
  if (replyCode === 404) return new DeadLetterError('QUEUE_NOT_FOUND', notFound, { cause, replyCode: 404 });
  return new DeadLetterError('BROKER_ERROR', `RabbitMQ refused the operation: ${describeError(cause)}`, {
    cause,
    ...(typeof replyCode === 'number' ? { replyCode } : {}),
  });
}

type ChannelOf<Confirm extends boolean> = Confirm extends true ? ConfirmChannel : Channel;

/**
 * Opens a connection and a channel, runs `work`, and closes both. Closing the channel returns every message still
 * unacked to its queue, so a failure half-way leaves nothing behind.
 */
async function withChannel<T, Confirm extends boolean>(
  options: DeadLetterOptions,
  confirm: Confirm,
  work: (channel: ChannelOf<Confirm>, model: ChannelModel) => Promise<T>,
): Promise<T> {
  const model = await connectFirst(options);
  let channelError: unknown;
  model.on('error', () => undefined);
  try {
    const channel = (await (confirm ? model.createConfirmChannel() : model.createChannel())) as ChannelOf<Confirm>;
    channel.on('error', (error: unknown) => {
      channelError = error;
    });
    try {
      const result = await work(channel, model);
      // Wait for close-ok: amqplib multiplexes channels, and a connection.close can overtake the last acks.
      await channel.close();
      return result;
    } catch (error) {
      await returnUnacked(channel);
      if (error instanceof WarrenError) throw error;
      // amqplib's rejection says "channel closed"; the 'error' event has the broker's reason and reply code.
      throw brokerError(channelError ?? error, describeError(channelError ?? error));
    }
  } finally {
    await model.close().catch(() => undefined);
  }
}

/**
 * Puts back what the channel still holds with `basic.nack(requeue)` before closing it. Letting the close return them
 * would count as a failed delivery on RabbitMQ 4.x quorum queues: after 20 of those (the default delivery limit) the
 * broker drops a parked message, since a dead-letter queue has no dead-letter exchange of its own.
 */
async function returnUnacked(channel: Channel): Promise<void> {
  try {
    channel.nackAll(true);
    await channel.close();
  } catch {
    // The channel is already closed (the broker closed it): nothing more can be done from here.
  }
}

async function connectFirst(options: DeadLetterOptions): Promise<ChannelModel> {
  const { urls } = resolveTarget(options);
  const failures: string[] = [];
  for (const url of urls) {
    try {
      return await connect(url, {
        noDelay: true,
        timeout: 10_000,
        clientProperties: { connection_name: options.name ?? 'warren-dead-letters' },
      });
    } catch (error) {
      const fatal = fatalConnectError(error, url);
      if (fatal) throw fatal;
      failures.push(`${redactUrl(url)}: ${describeError(error)}`);
    }
  }
  throw new DeadLetterError('BROKER_UNREACHABLE', `Cannot connect to RabbitMQ (${failures.join('; ')}).`);
}
