import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  BackPressureError,
  RemoteError,
  ReplyChannelLostError,
  RequestTimeoutError,
  ValidationError,
} from '@warren/publisher';
import { describeError, WarrenError } from '@warren/core';
import type { Health } from '@warren/publisher';
import type { z } from 'zod';
import {
  PostCreated,
  PreviewRequest,
  type Post,
  type PostCreatedContract,
  type PostPreview,
  type PreviewContract,
  type Reminder,
  type ReminderDueContract,
} from './contracts';
import { HEALTH_PATHS, healthReply } from './health-routes';
import { scheduleReminder } from './reminder-route';
import type { MetricsHandler } from './metrics';

/**
 * The part of `@warren/publisher`'s `Publisher` the service uses: small enough to fake in a unit test.
 */
export interface PublisherLike {
  publish(
    contract: PostCreatedContract | ReminderDueContract,
    payload: Post | Reminder,
    options?: { messageId?: string; timeoutMs?: number; delay?: string | number },
  ): Promise<{ messageId: string }>;
  /** Request/reply (`GET /posts/:id/preview`); without it that route answers 501. */
  request?(
    contract: PreviewContract,
    payload: { postId: string },
    options?: { timeoutMs?: number },
  ): Promise<PostPreview>;
  /** `GET /health*` (see `health-routes.ts`). */
  health(): Health;
}

export interface TimelineServiceOptions {
  readonly publisher: PublisherLike;
  /** @default PostCreated (the `timeline` namespace) */
  readonly contract?: PostCreatedContract;
  /** @default PreviewRequest (the `timeline` namespace) */
  readonly previewContract?: PreviewContract;
  /** How long `GET /posts/:id/preview` waits for the worker's reply before it answers 504. @default 2000 */
  readonly previewTimeoutMs?: number;
  /** `POST /reminders` publishes it with a delay; without it, that route answers 404. @default none */
  readonly reminderContract?: ReminderDueContract;
  /**
   * How long a request may wait for the broker's confirm (the publisher retries a full queue's nacks meanwhile)
   * before the service answers 503: a caller is better served by a quick 503 than by a hanging request.
   * @default 500
   */
  readonly publishTimeoutMs?: number;
  /** Largest accepted request body. @default 65536 */
  readonly maxBodyBytes?: number;
  /** Where unexpected errors are reported. @default nothing */
  readonly onError?: (error: unknown) => void;
  /** Answers `GET /metrics` (Prometheus text, see `metrics.ts`); without it, that route answers 404. @default none */
  readonly metrics?: MetricsHandler;
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The timeline's HTTP API, on node's own `http`:
 * - `POST /posts` validates the post, publishes `PostCreated` (confirmed by the broker) and answers 202 with the
 *   message id; the post's id is the message id, so a client retry after a timeout is detectable downstream.
 * - Back pressure (a full queue, a full publisher buffer, a blocked connection) → 503 with `Retry-After`: the
 *   client slows down instead of the service buffering without bound.
 * - `GET /posts/:id/preview` asks the worker through request/reply (`publisher.request`): 200 with its typed reply;
 *   404 when the worker does not know the post (its `RemoteError`'s code `POST_NOT_FOUND`); 504 when no reply came
 *   in time; 503 when the reply channel was lost or the broker pushes back.
 * - `POST /reminders` `{ postId, author, inSeconds }` schedules a `reminder.due` for later (publish with `delay`).
 * - `GET /health`, `/health/ready`, `/health/live` → `publisher.health()` (see `health-routes.ts`).
 */
export function createTimelineService(options: TimelineServiceOptions): Server {
  return createServer((request, response) => {
    if (options.metrics && request.method === 'GET' && request.url === '/metrics')
      return options.metrics(request, response);
    void handleRequest(options, request).then((reply) => send(response, reply));
  });
}

/** The routes and their methods: another method on a known path is 405 with `Allow`, not 404. */
const ALLOWED_METHODS: Readonly<Record<string, string>> = {
  '/posts': 'POST',
  '/reminders': 'POST',
  ...Object.fromEntries(HEALTH_PATHS.map((path) => [path, 'GET'])),
};

/** Routes one request to its reply; never rejects. */
export async function handleRequest(options: TimelineServiceOptions, request: IncomingMessage): Promise<Reply> {
  try {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/posts' && request.method === 'POST') return await createPost(options, request);
    if (HEALTH_PATHS.includes(path) && request.method === 'GET') return await healthReply(path, options);
    const preview = /^\/posts\/([^/]+)\/preview$/.exec(path);
    if (preview && request.method === 'GET') return await previewPost(options, decodeURIComponent(preview[1]!));
    if (path === '/reminders' && request.method === 'POST' && options.reminderContract)
      return await scheduleReminder(options.publisher, options.reminderContract, await readJson(request, 4_096));
    const allow = ALLOWED_METHODS[path];
    if (allow !== undefined) {
      const message = `${path} answers ${allow}, not ${request.method}.`;
      return { status: 405, headers: { allow }, body: { error: 'METHOD_NOT_ALLOWED', message } };
    }
    return { status: 404, body: { error: 'NOT_FOUND', message: `No route for ${request.method} ${path}.` } };
  } catch (error) {
    const reply = errorReply(error);
    if (reply.status >= 500 && reply.status !== 503) options.onError?.(error);
    return reply;
  }
}

async function createPost(options: TimelineServiceOptions, request: IncomingMessage): Promise<Reply> {
  const body = await readJson(request, options.maxBodyBytes ?? 65_536);
  if (!body.ok) return body.reply;
  const parsed = (options.contract ?? PostCreated).schema.safeParse(body.value);
  if (!parsed.success) return invalidPost(parsed.error);
  const { messageId } = await options.publisher.publish(options.contract ?? PostCreated, parsed.data, {
    messageId: parsed.data.postId,
    timeoutMs: options.publishTimeoutMs ?? 500,
  });
  return { status: 202, body: { messageId } };
}

async function previewPost(options: TimelineServiceOptions, postId: string): Promise<Reply> {
  const { publisher } = options;
  if (!publisher.request) return { status: 501, body: { error: 'NOT_IMPLEMENTED', message: 'No request/reply.' } };
  try {
    const preview = await publisher.request(
      options.previewContract ?? PreviewRequest,
      { postId },
      {
        timeoutMs: options.previewTimeoutMs ?? 2_000,
      },
    );
    return { status: 200, body: preview };
  } catch (error) {
    if (error instanceof RemoteError && error.remoteCode === 'POST_NOT_FOUND') {
      return { status: 404, body: { error: error.remoteCode, message: `No post ${postId} in any timeline.` } };
    }
    if (error instanceof RequestTimeoutError)
      return { status: 504, body: { error: error.code, message: describeError(error) } };
    if (error instanceof ReplyChannelLostError) {
      return {
        status: 503,
        headers: { 'retry-after': '1' },
        body: { error: error.code, message: describeError(error) },
      };
    }
    throw error;
  }
}

function invalidPost(error: z.ZodError): Reply {
  return { status: 400, body: { error: 'INVALID_POST', issues: error.issues.map(issueOf) } };
}

/**
 * Maps a publish failure: back pressure (`BrokerBusyError`, `BufferFullError`, `BlockedError`,
 * `PublishTimeoutError`, all `BackPressureError`s with `retryAfterMs`) → 503 + Retry-After; a payload the publisher
 * refused → 400; anything else → 500 with the error's code and a generic message. The detail (a refused login, the
 * broker's own text) is for the operator's log (`onError`), never for the HTTP caller.
 */
export function errorReply(error: unknown): Reply {
  if (error instanceof BackPressureError) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
    return {
      status: 503,
      headers: { 'retry-after': String(seconds) },
      body: { error: error.code, message: describeError(error), retryAfterMs: error.retryAfterMs },
    };
  }
  if (error instanceof ValidationError) {
    return { status: 400, body: { error: error.code, issues: error.issues.map(issueOf) } };
  }
  const code = error instanceof WarrenError ? error.code : 'INTERNAL';
  return { status: 500, body: { error: code, message: 'The post could not be published; the service logged why.' } };
}

function issueOf(issue: { readonly path: readonly PropertyKey[]; readonly message: string }) {
  return { path: issue.path.map(String).join('.'), message: issue.message };
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; reply: Reply };

export async function readJson(request: IncomingMessage, maxBytes: number): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return fail(413, 'BODY_TOO_LARGE', `The body is larger than ${maxBytes} bytes.`);
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return fail(400, 'INVALID_JSON', 'The body is not valid JSON.');
  }
}

function fail(status: number, error: string, message: string): JsonBody {
  return { ok: false, reply: { status, body: { error, message } } };
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  response.end(JSON.stringify(reply.body));
}
