import type { EventEmitter } from 'node:events';
import type { Options } from 'amqplib';
import {
  bounded,
  closeManager,
  connectFailedEvent,
  managerUrl,
  redactUrl,
  CLOSE_STEP_MS,
  type ConnectFailedEvent,
  type ConnectionConfigError,
} from '@warren/core';

/** @internal The part of an amqplib ConfirmChannel the publisher uses: the seam unit tests fake. */
export interface ConfirmChannelLike extends EventEmitter {
  publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): boolean;
  close(): Promise<void>;
}

/** @internal The part of an amqplib connection (ChannelModel) the publisher uses. */
export interface ChannelModelLike {
  createConfirmChannel(): Promise<ConfirmChannelLike>;
}

/** @internal The part of amqp-connection-manager the publisher uses (events `connect`, `disconnect`, ...). */
export interface ConnectionManagerLike extends EventEmitter {
  close(): Promise<void>;
  /** The current amqplib connection, if any (its socket is destroyed when a close does not finish in time). */
  readonly connection?: unknown;
}

/** @internal Opens the connection; calls `onFatal` once when it cannot succeed. */
export type Connect = (onFatal: (error: ConnectionConfigError) => void) => ConnectionManagerLike;

/** @internal What the slot tells the publisher; given once. */
export interface ChannelSlotHooks {
  /** A channel opened and is now the slot's `channel`. */
  opened(channel: ConfirmChannelLike): void;
  /** The slot's channel closed: `error` is what the broker closed it with, undefined when the connection went. */
  closed(error: unknown): void;
  /** A connect attempt failed (password-free); the manager retries unless `fatal` follows. */
  connectFailed(event: ConnectFailedEvent): void;
  /** The connection went (`error`: why, when known); the manager reconnects. */
  disconnected(error: unknown): void;
  /** `connection.blocked` (memory or disk alarm): the broker does not read publishes until `unblocked`. */
  blocked(reason: string): void;
  unblocked(): void;
  /** The connection cannot succeed (wrong credentials, missing vhost); the manager has given up. */
  fatal(error: ConnectionConfigError): void;
}

const noop = (): void => undefined;

/**
 * @internal The publisher's reconnecting connection and its one confirm channel: the channel is opened on each
 * connect, and reopened on the same connection when the broker closes it over one message (a connection loss
 * reconnects through the manager instead).
 */
export class ChannelSlot {
  private readonly manager: ConnectionManagerLike;
  private connection: ChannelModelLike | undefined;
  private current: ConfirmChannelLike | undefined;
  private currentUrl = '';
  private connectError = '';
  /** Set by `close()`: no channel is opened any more. */
  private closed = false;
  /** The connection cannot succeed: a channel that opens late is closed at once. */
  private failed = false;

  constructor(
    connect: Connect,
    private readonly reconnectMs: number,
    private readonly hooks: ChannelSlotHooks,
  ) {
    this.manager = connect((error) => {
      this.failed = true;
      hooks.fatal(error);
    });
    this.manager.on('connect', ({ connection, url }: { connection: ChannelModelLike; url: unknown }) =>
      this.onConnect(connection, url),
    );
    this.manager.on('disconnect', ({ err }: { err?: unknown }) => {
      this.connection = undefined;
      hooks.disconnected(err);
    });
    this.manager.on('connectFailed', (failure: { err?: unknown; url?: unknown }) => {
      const event = connectFailedEvent(failure);
      this.connectError = event.reason;
      hooks.connectFailed(event);
    });
    this.manager.on('blocked', ({ reason }: { reason?: string }) => hooks.blocked(reason ?? 'unknown'));
    this.manager.on('unblocked', () => hooks.unblocked());
  }

  /** The open channel, if there is one. */
  get channel(): ConfirmChannelLike | undefined {
    return this.current;
  }

  /** The URL of the last connection, password masked. */
  get url(): string {
    return this.currentUrl;
  }

  /** Why the last connect attempt failed (password masked), or ''. */
  get lastConnectError(): string {
    return this.connectError;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Empties the slot for good: closes its channel, then the connection, both within one `CLOSE_STEP_MS` (on a dead
   * network neither would ever finish).
   */
  async close(): Promise<void> {
    this.closed = true;
    const channel = this.current;
    this.current = undefined;
    this.connection = undefined;
    const deadline = Date.now() + CLOSE_STEP_MS;
    if (channel) await bounded(channel.close(), deadline - Date.now());
    await closeManager(this.manager, deadline - Date.now());
  }

  private onConnect(connection: ChannelModelLike, url: unknown): void {
    this.connection = connection;
    this.currentUrl = redactUrl(managerUrl(url));
    this.open(connection);
  }

  private open(connection: ChannelModelLike): void {
    connection.createConfirmChannel().then(
      (channel) => this.onOpen(connection, channel),
      () => this.reopenLater(connection, this.reconnectMs),
    );
  }

  private onOpen(connection: ChannelModelLike, channel: ConfirmChannelLike): void {
    let lastError: unknown;
    channel.on('error', (error: unknown) => (lastError = error));
    // Too late: its connection is gone, another channel got in first, or the publisher is closed or failed.
    if (this.connection !== connection || this.current !== undefined || this.closed || this.failed) {
      channel.close().catch(noop);
      return;
    }
    const openedAt = Date.now();
    channel.on('close', () => this.onClose(channel, lastError, openedAt));
    this.current = channel;
    this.hooks.opened(channel);
  }

  private onClose(channel: ConfirmChannelLike, error: unknown, openedAt: number): void {
    if (this.current !== channel) return;
    this.current = undefined;
    this.hooks.closed(error);
    // A connection loss reconnects through the manager; a channel error leaves the connection up: reopen on it,
    // slowly if channels keep dying young, so a poisonous message cannot spin the CPU until its deadline.
    const connection = this.connection;
    if (error !== undefined && connection) this.reopenLater(connection, Date.now() - openedAt < 1_000 ? 100 : 0);
  }

  private reopenLater(connection: ChannelModelLike, delayMs: number): void {
    const timer = setTimeout(() => {
      if (this.connection === connection && this.current === undefined && !this.closed) this.open(connection);
    }, delayMs);
    timer.unref();
  }
}
