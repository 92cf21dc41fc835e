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
  /** The queue the worker answers `post.preview` requests from. */
  readonly previewQueue: string;
  /** The queue scheduled reminders arrive in. */
  readonly reminders: string;
}

export const DEFAULT_NAMESPACE = 'timeline';

export function timelineNames(namespace = DEFAULT_NAMESPACE): TimelineNames {
  return {
    exchange: namespace,
    queue: `${namespace}.fanout`,
    previewQueue: `${namespace}.preview`,
    reminders: `${namespace}.reminders`,
  };
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

/** `GET /posts/:id/preview` asks the worker (which holds the posts it fanned out) through request/reply. */
export const PreviewRequestSchema = z.object({ postId: z.string().min(1).max(64) });
export const PostPreviewSchema = z.object({
  postId: z.string(),
  author: z.string(),
  /** The first 40 characters of the text. */
  preview: z.string(),
  /** Timelines the post was copied into. */
  followers: z.number().int().nonnegative(),
});

export type PostPreview = z.infer<typeof PostPreviewSchema>;

/** `post.preview` on the timeline exchange, answered from the preview queue; the reply is a `PostPreview`. */
export function previewContract(names: TimelineNames = timelineNames()) {
  return defineContract({
    exchange: names.exchange,
    routingKey: 'post.preview',
    queue: names.previewQueue,
    schema: PreviewRequestSchema,
    reply: PostPreviewSchema,
  });
}

export const PreviewRequest = previewContract();
export type PreviewContract = typeof PreviewRequest;
/** A reminder about a post, due at `dueAt` (ISO-8601): `POST /reminders` schedules it with `delay`. */
export const ReminderSchema = z.object({
  postId: z.string().min(1).max(64),
  author: z.string().min(1).max(64),
  dueAt: z.iso.datetime(),
});

export type Reminder = z.infer<typeof ReminderSchema>;

/** `reminder.due` on the timeline exchange (scheduled: it travels through the delay ladder first). */
export function reminderDueContract(names: TimelineNames = timelineNames()) {
  return defineContract({
    exchange: names.exchange,
    routingKey: 'reminder.due',
    queue: names.reminders,
    schema: ReminderSchema,
  });
}

export type ReminderDueContract = ReturnType<typeof reminderDueContract>;
