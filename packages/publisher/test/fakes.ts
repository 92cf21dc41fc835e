import { EventEmitter } from 'node:events';
import type { Options } from 'amqplib';
import type { ConnectionConfigError } from '@warren/core';
import { resolveOptions, type PublisherOptions } from '../src/options';
import type { ChannelModelLike, ConfirmChannelLike, ConnectionManagerLike } from '../src/ChannelSlot';
import { Publisher } from '../src/Publisher';

export interface Sent {
  exchange: string;
  routingKey: string;
  content: Buffer;
  properties: Options.Publish;
}

/** A confirm channel that records publishes; the test plays the broker (ack, nack, return, close). */
export class FakeChannel extends EventEmitter implements ConfirmChannelLike {
  readonly sent: Sent[] = [];
  writable = true;
  open = true;
  throwOnPublish: Error | undefined;

  publish(exchange: string, routingKey: string, content: Buffer, properties: Options.Publish): boolean {
    if (this.throwOnPublish) throw this.throwOnPublish;
    if (!this.open) throw new Error('Channel closed');
    this.sent.push({ exchange, routingKey, content, properties });
    return this.writable;
  }
  async close(): Promise<void> {
    this.kill();
  }
  ack(tag: number, multiple = false): void {
    this.emit('ack', { deliveryTag: tag, multiple });
  }
  nack(tag: number, multiple = false): void {
    this.emit('nack', { deliveryTag: tag, multiple, requeue: false });
  }
  returnMessage(index: number): void {
    const { exchange, routingKey, properties } = this.sent[index]!;
    this.emit('return', { fields: { replyCode: 312, replyText: 'NO_ROUTE', exchange, routingKey }, properties });
  }
  /** The broker closes the channel (with an error) or the connection goes (without). */
  kill(error?: Error & { code?: number }): void {
    if (!this.open) return;
    this.open = false;
    if (error) this.emit('error', error);
    this.emit('close');
  }
}

export class FakeConnection implements ChannelModelLike {
  readonly channels: FakeChannel[] = [];
  async createConfirmChannel(): Promise<FakeChannel> {
    const channel = new FakeChannel();
    this.channels.push(channel);
    return channel;
  }
  get channel(): FakeChannel {
    return this.channels[this.channels.length - 1]!;
  }
}

export class FakeManager extends EventEmitter implements ConnectionManagerLike {
  connection: FakeConnection | undefined;
  onFatal: ((error: ConnectionConfigError) => void) | undefined;
  closed = false;
  async close(): Promise<void> {
    this.closed = true;
  }
  /** Connects and waits until the publisher has its channel. */
  async connect(): Promise<FakeConnection> {
    this.connection = new FakeConnection();
    this.emit('connect', { connection: this.connection, url: 'amqp://guest:secret@broker:5672' });
    await flush();
    return this.connection;
  }
  drop(): void {
    this.connection?.channel.kill();
    this.connection = undefined;
    this.emit('disconnect', { err: new Error('read ECONNRESET') });
  }
}

export function fakePublisher(options: Partial<PublisherOptions> = {}): { publisher: Publisher; manager: FakeManager } {
  const manager = new FakeManager();
  const publisher = new Publisher(resolveOptions({ urls: 'amqp://x', ...options }), (onFatal) => {
    manager.onFatal = onFatal;
    return manager;
  });
  return { publisher, manager };
}

/** Lets pending promise callbacks and timers of 0 ms run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
