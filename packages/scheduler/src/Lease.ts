import { EventEmitter } from 'node:events';
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { describeError, fatalConnectError, redactUrl, type WarrenError } from '@warren/core';
import { withTimeout } from './withTimeout';

/** @internal */
export interface LeaseEvents {
  /** This process holds the token: it leads until `lost`. */
  acquired: [];
  /** It no longer leads (connection or channel gone, consumer cancelled, fence check failed, close). */
  lost: [{ reason: string }];
  connected: [{ url: string }];
  disconnected: [{ reason: string }];
  /** Connecting cannot succeed (wrong credentials or vhost): the lease stops trying. */
  failed: [WarrenError];
}

/** @internal */
export interface LeaseSettings {
  readonly urls: readonly string[];
  readonly queue: string;
  readonly consumerTag: string;
  readonly connectionName: string;
  readonly heartbeatSeconds: number;
  readonly reconnectMs: number;
  readonly reseedMs: number;
  readonly fenceTimeoutMs: number;
}

/** The lease queue: every scheduler consumes it, the broker lets one at a time receive (single active consumer). */
export const leaseQueueArguments = {
  'x-queue-type': 'quorum',
  'x-single-active-consumer': true,
  // Only ready messages count: the held token + at most one spare, so re-seeding can never pile tokens up.
  'x-max-length': 1,
  'x-overflow': 'reject-publish',
} as const;

/**
 * Leadership through the broker. The lease queue holds a token message; every scheduler consumes it with
 * prefetch 1, and single active consumer gives it to one consumer at a time, which holds it unacked: holding the
 * token is leading. When the leader's channel or connection dies the broker returns the token and hands it to the
 * next consumer. Every connected scheduler seeds a token on connect and every `reseedMs` (refused by
 * `x-max-length: 1` when one is ready), so a token lost to a delivery limit or a purge is replaced; extra tokens
 * wait in the queue, as only the active consumer ever receives any.
 *
 * The lease's connection is also the fence: `confirm()` makes a bounded round trip on it before each firing and
 * every `fenceTimeoutMs` while leading, so a leader whose connection is gone or silent (or which was paused long
 * enough to be replaced) steps down, and does not fire.
 */
export class Lease extends EventEmitter<LeaseEvents> {
  private model: ChannelModel | undefined;
  private channel: Channel | undefined;
  private stateChannel: ConfirmChannel | undefined;
  private leading = false;
  private closed = false;
  private reseedTimer: NodeJS.Timeout | undefined;
  private fenceTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly settings: LeaseSettings) {
    super();
  }

  get isLeading(): boolean {
    return this.leading;
  }

  /** The confirm channel on the lease's connection (for the tick log), while connected. */
  get confirmChannel(): ConfirmChannel | undefined {
    return this.stateChannel;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** A round trip on the lease's channel, bounded: false (and the lease dropped) when it fails. */
  async confirm(): Promise<boolean> {
    const channel = this.channel;
    if (!this.leading || channel === undefined) return false;
    try {
      await withTimeout(channel.checkQueue(this.settings.queue), this.settings.fenceTimeoutMs);
      return this.leading;
    } catch (error) {
      this.drop(`the lease's connection did not answer: ${describeError(error)}`);
      return false;
    }
  }

  /** Gives up the lease (the token goes back to the queue, to the next scheduler) and stops. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    this.drop('closed');
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const ended = await this.session().catch((error: unknown) => describeError(error));
      this.drop(ended);
      if (this.closed) break;
      this.emit('disconnected', { reason: ended });
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.settings.reconnectMs).unref();
      });
    }
  }

  /** One connection: resolves with why it ended. */
  private async session(): Promise<string> {
    const model = await this.connect();
    if (model === undefined) return 'no connection';
    this.model = model;
    const ended = new Promise<string>((resolve) => {
      model.on('close', (error?: Error) => resolve(error ? describeError(error) : 'connection closed'));
      model.on('error', () => undefined); // 'close' follows with the reason
    });
    if (this.closed) {
      await model.close().catch(() => undefined);
      return 'closed';
    }
    await this.open(model);
    return ended;
  }

  private async open(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    const endSession = (): void => void model.close().catch(() => undefined);
    channel.on('error', () => undefined);
    channel.on('close', endSession);
    this.stateChannel = await model.createConfirmChannel();
    this.stateChannel.on('error', () => undefined);
    this.stateChannel.on('close', endSession);
    const { queue } = this.settings;
    await channel.assertQueue(queue, { durable: true, arguments: leaseQueueArguments });
    await channel.prefetch(1);
    this.channel = channel;
    await channel.consume(queue, (message) => this.onDelivery(message, endSession), {
      consumerTag: this.settings.consumerTag,
    });
    this.seed();
    this.reseedTimer = setInterval(() => this.seed(), this.settings.reseedMs).unref();
  }

  private onDelivery(message: ConsumeMessage | null, endSession: () => void): void {
    if (message === null) return endSession(); // the broker cancelled us (queue deleted)
    if (this.leading) return; // cannot happen with prefetch 1; a second token just stays unacked
    this.leading = true;
    // The fence, also between ticks: a leader whose connection went silent steps down within about two
    // intervals, whatever its ticks are waiting for.
    this.fenceTimer = setInterval(() => void this.confirm(), this.settings.fenceTimeoutMs).unref();
    this.emit('acquired');
  }

  private seed(): void {
    if (this.leading) return;
    try {
      this.channel?.sendToQueue(this.settings.queue, Buffer.from('lease'), { persistent: true });
    } catch {
      // the channel is closing: the next session seeds
    }
  }

  private drop(reason: string): void {
    clearInterval(this.reseedTimer);
    clearInterval(this.fenceTimer);
    const model = this.model;
    this.model = this.channel = this.stateChannel = undefined;
    void model?.close().catch(() => undefined); // closing returns the unacked token to the queue
    if (!this.leading) return;
    this.leading = false;
    this.emit('lost', { reason });
  }

  private async connect(): Promise<ChannelModel | undefined> {
    const { urls, heartbeatSeconds, connectionName } = this.settings;
    for (const url of urls) {
      try {
        const model = await connect(withHeartbeat(url, heartbeatSeconds), {
          noDelay: true,
          timeout: 10_000,
          clientProperties: { connection_name: connectionName },
        });
        this.emit('connected', { url: redactUrl(url) });
        return model;
      } catch (error) {
        const fatal = fatalConnectError(error, url);
        if (fatal === undefined) continue;
        this.closed = true;
        this.emit('failed', fatal);
        return undefined;
      }
    }
    return undefined;
  }
}

function withHeartbeat(url: string, seconds: number): string {
  if (/[?&]heartbeat=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}heartbeat=${seconds}`;
}
