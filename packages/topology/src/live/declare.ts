import type { Channel, ChannelModel } from 'amqplib';
import { describeError, WarrenError } from '@warren/core';
import type { BindingSpec, ExchangeSpec, QueueSpec } from '../model/desired';
import { BrokerRefusedError } from './errors';

/** One AMQP operation on a named object; `describe` names it for errors (`queue 'orders'`). @internal */
export interface AmqpTask {
  readonly describe: string;
  run(channel: Channel): Promise<unknown>;
}

/**
 * Channels used in parallel. amqplib allows one outstanding RPC per channel, and quorum queue declares take a few
 * milliseconds each on the broker, so parallel channels are what makes a 2,500-object apply fast.
 */
const CHANNELS = 16;

/**
 * Runs tasks on up to 16 channels (`channels`) of one connection. The first refusal (e.g. 406 on a declare) stops the run and
 * is thrown as a `BrokerRefusedError` naming the object; with `ignoreNotFound`, 404s are skipped (deletes).
 * `onDone` is called after each task; once `signal` aborts, no new task starts.
 * @internal
 */
export async function runTasks(
  model: ChannelModel,
  tasks: readonly AmqpTask[],
  options: { ignoreNotFound?: boolean; onDone?: () => void; signal?: AbortSignal; channels?: number } = {},
): Promise<void> {
  let next = 0;
  let failure: WarrenError | undefined;
  const worker = async (): Promise<void> => {
    let channel = await openChannel(model);
    // An abort stops the intake; the declares in flight finish (each is atomic on the broker).
    while (failure === undefined && next < tasks.length && !options.signal?.aborted) {
      const task = tasks[next++] as AmqpTask;
      try {
        await task.run(channel);
        options.onDone?.();
      } catch (error) {
        if (options.ignoreNotFound && replyCodeOf(error) === 404) channel = await openChannel(model);
        else failure ??= replyCodeOf(error) === undefined ? connectionLost(error) : refused(task.describe, error);
      }
    }
    await channel.close().catch(() => undefined);
  };
  await Promise.all(Array.from({ length: Math.min(options.channels ?? CHANNELS, tasks.length) }, worker)).catch(
    (error: unknown) => {
      failure ??= connectionLost(error);
    },
  );
  if (failure) throw failure;
}

/** The connection went away mid-run (no reply code): what was declared stays, and apply is idempotent. */
function connectionLost(error: unknown): WarrenError {
  return new WarrenError(
    'BROKER_CONNECTION_LOST',
    `The AMQP connection to RabbitMQ closed while applying: ${describeError(error)}. Nothing is lost: what was ` +
      `declared stays, and running apply again continues where it stopped.`,
    { cause: error },
  );
}

async function openChannel(model: ChannelModel): Promise<Channel> {
  const channel = await model.createChannel();
  // A refused declare closes the channel with an 'error' event; without a listener it would take the connection down.
  channel.on('error', () => undefined);
  return channel;
}

export function declareExchange(spec: ExchangeSpec): AmqpTask {
  return {
    describe: `exchange '${spec.name}'`,
    run: (ch) =>
      ch.assertExchange(spec.name, spec.type, {
        durable: spec.durable,
        autoDelete: spec.autoDelete,
        internal: spec.internal,
        arguments: { ...spec.arguments },
      }),
  };
}

export function declareQueue(spec: QueueSpec): AmqpTask {
  return {
    describe: `queue '${spec.name}'`,
    run: (ch) =>
      ch.assertQueue(spec.name, {
        durable: spec.durable,
        autoDelete: spec.autoDelete,
        exclusive: spec.exclusive,
        arguments: { ...spec.arguments },
      }),
  };
}

export function declareBinding(spec: BindingSpec): AmqpTask {
  const args = { ...spec.arguments };
  return {
    describe: `binding of ${spec.destinationType} '${spec.destination}' to exchange '${spec.source}' with routing key '${spec.routingKey}'`,
    run: (ch) =>
      spec.destinationType === 'queue'
        ? ch.bindQueue(spec.destination, spec.source, spec.routingKey, args)
        : ch.bindExchange(spec.destination, spec.source, spec.routingKey, args),
  };
}

export const deleteQueueTask = (name: string): AmqpTask => ({
  describe: `queue '${name}'`,
  run: (ch) => ch.deleteQueue(name),
});

export const deleteExchangeTask = (name: string): AmqpTask => ({
  describe: `exchange '${name}'`,
  run: (ch) => ch.deleteExchange(name),
});

function replyCodeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

const INEQUIVALENT =
  /inequivalent arg '([^']+)' for (?:queue|exchange) '[^']*' in vhost '[^']*': received (.+) but current is (.+)$/;

/** Turns an amqplib channel error into what it means for the user: the object, the argument, live vs wanted. */
export function refused(object: string, error: unknown): BrokerRefusedError {
  const replyCode = replyCodeOf(error);
  const text = describeError(error);
  const brokerText = /with message "(.*)"/.exec(text)?.[1] ?? text;
  const inequivalent = INEQUIVALENT.exec(brokerText);
  const message = inequivalent
    ? `Cannot declare ${object}: it already exists with ${inequivalent[1]} = ${inequivalent[3]} but the file wants ` +
      `${inequivalent[2]} (${replyCode ?? 406} PRECONDITION_FAILED). RabbitMQ cannot change this on an existing ` +
      `object: keep the live value in the file, or use a new name and move the messages.`
    : `RabbitMQ refused ${object}${replyCode ? ` (reply code ${replyCode})` : ''}: ${brokerText}`;
  return new BrokerRefusedError(object, message, replyCode, error);
}
