import type { Options } from 'amqplib';
import type { OtelSpan } from '@warren/core';

/** What a publish resolves with once the broker has confirmed the message. */
export interface PublishResult {
  readonly messageId: string;
}

/** @internal Why the broker returned a mandatory message (it arrives before the ack). */
export interface ReturnInfo {
  readonly replyCode: number;
  readonly replyText: string;
}

/**
 * @internal One message the publisher holds until it is confirmed or failed, with its caller's promise. A class
 * (not an object literal) so every instance has the same shape on the hot path.
 */
export class Outbound {
  /** Number of nacks so far (drives the back-off). */
  nacks = 0;
  /** Set when a `basic.return` names this message; the ack that follows then fails the publish. */
  returned: ReturnInfo | undefined = undefined;
  /** True once the caller's promise is settled; a settled message is skipped wherever it still sits. */
  settled = false;
  /** True while the message counts against the buffer limits (accepted, not yet settled). */
  held = false;
  /**
   * When the last copy was sent (epoch ms; 0: never): its nack measures a round trip. Until a copy is written to a
   * channel, a failure is definite (the message cannot arrive): `NOT_SENT`, `BROKER_BLOCKED`; after it a timeout is
   * indeterminate (`PUBLISH_TIMEOUT`).
   */
  sentAt = 0;
  /** When a nacked message may be sent again (epoch ms). */
  retryAt = 0;
  /** A copy went out on a channel that closed before confirming it: that copy may have arrived. */
  mayHaveArrived = false;
  /** Its OpenTelemetry span and when the publish was called (`performance.now()`), with telemetry on. */
  span: OtelSpan | undefined = undefined;
  startedAt = 0;

  constructor(
    readonly exchange: string,
    readonly routingKey: string,
    readonly body: Buffer,
    readonly properties: Options.Publish,
    readonly messageId: string,
    readonly deadline: number,
    readonly resolve: (result: PublishResult) => void,
    readonly reject: (error: Error) => void,
  ) {}
}
