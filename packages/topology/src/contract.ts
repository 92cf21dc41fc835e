import type { z } from 'zod';

/**
 * A message contract: where a message goes and what its payload looks like. Shared by the publisher (which
 * validates before sending) and the consumer (which validates on delivery).
 *
 * @example
 * const PostCreated = defineContract({
 *   exchange: 'timeline', routingKey: 'post.created', queue: 'timeline.fanout',
 *   schema: z.object({ postId: z.string(), author: z.string() }),
 * });
 */
export interface MessageContract<Schema extends z.ZodType = z.ZodType> {
  readonly exchange: string;
  readonly routingKey: string;
  readonly schema: Schema;
  /** The work queue that consumes this message, when a consumer subscribes by contract. */
  readonly queue?: string;
}

export type PayloadOf<C extends MessageContract> = z.input<C['schema']>;
export type ParsedPayloadOf<C extends MessageContract> = z.output<C['schema']>;

export function defineContract<Schema extends z.ZodType>(contract: MessageContract<Schema>): MessageContract<Schema> {
  return Object.freeze({ ...contract });
}
