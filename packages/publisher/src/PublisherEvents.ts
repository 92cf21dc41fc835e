import type { ConnectedEvent, ConnectFailedEvent, DisconnectedEvent, WarrenError } from '@warren/core';
import type { LateReplyEvent } from './Requester';

export type PublisherState = 'connecting' | 'connected' | 'disconnected' | 'blocked' | 'closed' | 'failed';

/** A message the broker could not route (`mandatory`); its publish fails with `UnroutableError`. */
export interface ReturnedMessage {
  readonly messageId: string;
  readonly exchange: string;
  readonly routingKey: string;
  readonly replyCode: number;
  readonly replyText: string;
}

/** The publisher's events (never `'error'`: failures reach the caller of `publish`). */
export interface PublisherEvents {
  connected: [ConnectedEvent];
  disconnected: [DisconnectedEvent];
  /** A connect attempt failed (refused, unreachable, TLS, login); it is retried unless `failed` follows. */
  connectFailed: [ConnectFailedEvent];
  blocked: [{ reason: string }];
  unblocked: [];
  /** The buffer became full (`full: true`: publishes fail or wait), or has room again (`false`). Transitions only. */
  bufferFull: [{ full: boolean; messages: number; bytes: number }];
  returned: [ReturnedMessage];
  /** The broker closed the publishing channel over one message (404, 403, 406): the publisher reopens it. */
  channelClosed: [{ reason: string }];
  /** The connection cannot succeed (wrong credentials, missing vhost); every publish fails with this error. */
  failed: [WarrenError];
  /** A reply came after its request timed out, was aborted or failed: dropped, and counted in `total`. */
  lateReply: [LateReplyEvent];
}
