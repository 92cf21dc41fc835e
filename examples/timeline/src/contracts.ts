import { defineContract } from '@warren/core';
import { z } from 'zod';

/** A new post, as `POST /posts` accepts it and the worker receives it. */
export const PostSchema = z.object({
  postId: z.string().min(1).max(64),
  author: z.string().min(1).max(64),
  text: z.string().min(1).max(500),
  /** Who gets the post in their timeline; the worker looks them up when absent. */
  followers: z.array(z.string().min(1)).max(1000).optional(),
});

export type Post = z.infer<typeof PostSchema>;

/** The names the example uses; a namespace lets tests and parallel demos run side by side on one broker. */
export interface TimelineNames {
  readonly exchange: string;
  readonly queue: string;
}

export const DEFAULT_NAMESPACE = 'timeline';

export function timelineNames(namespace = DEFAULT_NAMESPACE): TimelineNames {
  return { exchange: namespace, queue: `${namespace}.fanout` };
}

/** `post.created` on the timeline exchange, consumed from the fan-out work queue. */
export function postCreatedContract(names: TimelineNames = timelineNames()) {
  return defineContract({
    exchange: names.exchange,
    routingKey: 'post.created',
    queue: names.queue,
    schema: PostSchema,
  });
}

export const PostCreated = postCreatedContract();
export type PostCreatedContract = typeof PostCreated;
