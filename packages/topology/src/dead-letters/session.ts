import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import { describeError, redactUrl, splitUrls, vhostOf, WarrenError } from '@warren/core';
import { openAmqp } from '../live/open-amqp';
import { resolveTarget } from '../live/target';
import { DeadLetterError } from './errors';

/** Where a dead-letter operation acts. Each operation opens one short-lived connection (an operator's action). */
export interface DeadLetterOptions {
  /** One AMQP URL, or several comma-separated (the nodes of a cluster, tried in turn), as in `AMQP_URL`. Required. */
  readonly amqpUrl: string;
  /**
   * The vhost of the queue; when given it also replaces the path of every AMQP URL.
   * @default the vhost in the first AMQP URL's path, `/` when it has none
   */
  readonly vhost?: string;
  /** Connection name shown in the management UI. @default 'warren-dead-letters' */
  readonly name?: string;
}

/**
 * Waits (up to 1 s) until the queue holds `count` ready messages again: quorum queues apply returned messages a
 * few milliseconds after the nack, and a `replay` right after a `list` should find all of them.
 */
export async function untilReady(model: ChannelModel, options: DeadLetterOptions, queue: string, count: number) {
  for (let i = 0; i < 50; i++) {
    if ((await checkQueue(model, options, queue)).messageCount >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `checkQueue` on a throw-away channel: a missing queue closes the channel it was checked on (404), and the caller's
 * channel must survive.
 */
export async function checkQueue(
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
export async function withChannel<T, Confirm extends boolean>(
  options: DeadLetterOptions,
  confirm: Confirm,
  work: (channel: ChannelOf<Confirm>, model: ChannelModel) => Promise<T>,
): Promise<T> {
  const { urls, tls } = resolveTarget(options);
  const model = await openAmqp(urls, options.name ?? 'warren-dead-letters', tls);
  let channelError: unknown;
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
 * broker drops a parked message, since a dead-letter queue has no dead-letter exchange of its own. (4.0–4.2 count the
 * nack as well; the DLQ's Warren policy, no delivery limit, is what protects it there.)
 */
async function returnUnacked(channel: Channel): Promise<void> {
  try {
    channel.nackAll(true);
    await channel.close();
  } catch {
    // The channel is already closed (the broker closed it): nothing more can be done from here.
  }
}
