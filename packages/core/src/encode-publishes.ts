import { encodePublishFrames, type PublishFields } from './publish-frames';
import { TurnBatch, type ChannelOut } from './turn-batch';

/** The parts of amqplib's (internal) `Connection` this uses; checked before anything is replaced. */
interface AmqplibConnection {
  sendMessage(
    channel: number,
    method: unknown,
    fields: PublishFields,
    properties: unknown,
    props: unknown,
    content: unknown,
  ): boolean;
  sendMethod(channel: number, method: unknown, fields: unknown): boolean;
  frameMax: number;
  sentSinceLastCheck: boolean;
  channels: ({ buffer?: ChannelOut } | null | undefined)[];
}

const BASIC_PUBLISH = 0x003c0028;

function isAmqplibConnection(connection: unknown): connection is AmqplibConnection {
  const c = connection as Partial<AmqplibConnection> | undefined;
  return (
    typeof c?.sendMessage === 'function' &&
    typeof c.sendMethod === 'function' &&
    Array.isArray(c.channels) &&
    typeof c.frameMax === 'number'
  );
}

/**
 * Makes an amqplib connection encode its common publishes itself (`encodePublishFrames`: one pooled buffer instead
 * of four allocations and two body copies) and write those of one event-loop turn as one chunk (`TurnBatch`); every
 * other message, and anything unexpected, takes amqplib's own path. The frames still go through the channel's
 * outgoing buffer, in order with everything else: a method or a message amqplib encodes writes the batch first. A
 * closed connection still refuses (amqplib replaces both functions on close). False when the connection does not
 * look like amqplib 2's: nothing is changed.
 */
export function encodePublishes(model: unknown): boolean {
  const connection = (model as { connection?: unknown } | undefined)?.connection;
  if (!isAmqplibConnection(connection)) return false;
  const amqplibSend = connection.sendMessage;
  const amqplibMethod = connection.sendMethod;
  const batch = new TurnBatch();
  connection.sendMethod = function sendMethod(this: AmqplibConnection, channel, method, fields) {
    batch.flush();
    return amqplibMethod.call(this, channel, method, fields);
  };
  connection.sendMessage = function sendMessage(
    this: AmqplibConnection,
    channel,
    method,
    fields,
    properties,
    props,
    content,
  ) {
    const out = method === BASIC_PUBLISH && Buffer.isBuffer(content) ? this.channels[channel]?.buffer : undefined;
    const frames = out && encodePublishFrames(channel, fields, content as Buffer, this.frameMax);
    if (out === undefined || frames === undefined) {
      batch.flush();
      return amqplibSend.call(this, channel, method, fields, properties, props, content);
    }
    this.sentSinceLastCheck = true; // the heartbeat's "we sent something"
    return batch.add(out, frames);
  };
  return true;
}
