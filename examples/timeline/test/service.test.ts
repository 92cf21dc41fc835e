import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { BrokerBusyError, PublishTimeoutError, ValidationError, type Health } from '@warren/publisher';
import { ConnectionConfigError, WarrenError } from '@warren/core';
import { PostCreated, type Post } from '../src/contracts';
import { createTimelineService, type PublisherLike } from '../src/service';

class FakePublisher implements PublisherLike {
  current: Health = { status: 'ok', reasons: [] };
  published: Array<{ payload: Post; messageId?: string; timeoutMs?: number }> = [];
  failWith: unknown;

  async publish(_contract: unknown, payload: Post, options?: { messageId?: string; timeoutMs?: number }) {
    if (this.failWith) throw this.failWith;
    this.published.push({ payload, messageId: options?.messageId, timeoutMs: options?.timeoutMs });
    return { messageId: options?.messageId ?? 'generated' };
  }

  health(): Health {
    return this.current;
  }
}

const post = { postId: 'p1', author: 'ada', text: 'hello', followers: ['grace'] };
let publisher: FakePublisher;
let server: Server;
let base: string;

beforeEach(async () => {
  publisher = new FakePublisher();
  server = createTimelineService({ publisher, contract: PostCreated });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const postJson = (body: unknown) =>
  fetch(`${base}/posts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('POST /posts', () => {
  it('publishes a valid post with its id as the message id, waits at most 500 ms, and answers 202', async () => {
    const response = await postJson(post);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ messageId: 'p1' });
    expect(publisher.published).toEqual([{ payload: post, messageId: 'p1', timeoutMs: 500 }]);
  });

  it('answers 400 with the validation issues and publishes nothing', async () => {
    const response = await postJson({ postId: 'p1', author: '', followers: 'everyone' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; issues: Array<{ path: string }> };
    expect(body.error).toBe('INVALID_POST');
    expect(body.issues.map((issue) => issue.path).sort()).toEqual(['author', 'followers', 'text']);
    expect(publisher.published).toEqual([]);
  });

  it('answers 400 INVALID_JSON to a body that is not JSON', async () => {
    const response = await fetch(`${base}/posts`, { method: 'POST', body: '{nope' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'INVALID_JSON' });
  });

  it('answers 503 with Retry-After in whole seconds when the broker is busy', async () => {
    publisher.failWith = new BrokerBusyError('BROKER_BUSY', 'the queue is full', 1_500);
    const response = await postJson(post);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toMatchObject({ error: 'BROKER_BUSY', retryAfterMs: 1_500 });
  });

  it('answers 503 to any back-pressure error, with at least 1 s of Retry-After', async () => {
    publisher.failWith = new PublishTimeoutError('PUBLISH_TIMEOUT', 'no confirm in time', 200);
    const response = await postJson(post);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it('answers 400 with the issues when the publisher refuses the payload (VALIDATION_FAILED)', async () => {
    publisher.failWith = new ValidationError('bad payload', [{ path: ['followers', 0], message: 'too short' }]);
    const response = await postJson(post);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'VALIDATION_FAILED',
      issues: [{ path: 'followers.0', message: 'too short' }],
    });
  });

  it('answers 500 with the error code for other failures, without the broker password', async () => {
    publisher.failWith = new WarrenError('EXCHANGE_NOT_FOUND', 'no exchange at amqp://u:secret@host');
    const response = await postJson(post);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('EXCHANGE_NOT_FOUND');
    expect(body.message).not.toContain('secret');
  });
});

describe('GET /health, /health/ready, /health/live', () => {
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const disconnected = { code: 'disconnected', message: 'the connection is lost; reconnecting' } as const;

  it("are 200 with the publisher's health while it is ok", async () => {
    const publisher = { status: 'ok', reasons: [] };
    expect(await get('/health')).toEqual({ status: 200, body: { status: 'up', publisher } });
    expect(await get('/health/ready')).toEqual({ status: 200, body: { status: 'up', publisher } });
    expect(await get('/health/live')).toEqual({ status: 200, body: { status: 'up' } });
  });

  it('keep a degraded publisher (reconnecting) ready, and /health says why it is not ok', async () => {
    publisher.current = { status: 'degraded', reasons: [disconnected] };
    expect(await get('/health')).toEqual({ status: 503, body: { status: 'down', publisher: publisher.current } });
    expect((await get('/health/ready')).status).toBe(200);
    expect((await get('/health/live')).status).toBe(200);
  });

  it('take a failing publisher (buffer full) out of rotation, without asking for a restart', async () => {
    publisher.current = { status: 'failing', reasons: [{ code: 'buffer-full', message: 'the buffer is full' }] };
    expect((await get('/health/ready')).status).toBe(503);
    expect((await get('/health/live')).status).toBe(200);
  });
});

it('answers 404 to an unknown route', async () => {
  expect((await fetch(`${base}/nope`)).status).toBe(404);
});

it('answers 405 with Allow to a known route with another method', async () => {
  const getPosts = await fetch(`${base}/posts`);
  expect(getPosts.status).toBe(405);
  expect(getPosts.headers.get('allow')).toBe('POST');
  expect(await getPosts.json()).toMatchObject({ error: 'METHOD_NOT_ALLOWED' });
  const postHealth = await fetch(`${base}/health`, { method: 'POST' });
  expect(postHealth.status).toBe(405);
  expect(postHealth.headers.get('allow')).toBe('GET');
});

describe('a failure the caller cannot act on (the broker refused the login)', () => {
  const brokerText = 'ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN';
  const refused = new ConnectionConfigError(
    'ACCESS_REFUSED',
    `RabbitMQ refused the login at amqp://svc:***@rabbit:5672 (403 ACCESS_REFUSED): ${brokerText}`,
    { cause: new Error(`${brokerText} at amqp://svc:hunter2@rabbit:5672`), replyCode: 403 },
  );

  it('answers 500 with the code and a generic message, and logs the detail', async () => {
    const logged: unknown[] = [];
    const service = createTimelineService({ publisher, contract: PostCreated, onError: (e) => logged.push(e) });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    try {
      publisher.failWith = refused;
      const url = `http://127.0.0.1:${(service.address() as AddressInfo).port}/posts`;
      const response = await fetch(url, { method: 'POST', body: JSON.stringify(post) });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        error: 'ACCESS_REFUSED',
        message: 'The post could not be published; the service logged why.',
      });
      expect(text).not.toMatch(/login|svc|hunter2|rabbit/i);
      expect(logged).toEqual([refused]);
    } finally {
      await new Promise((resolve) => service.close(resolve));
    }
  });
});
