import { randomBytes } from 'node:crypto';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import {
  applyTopology,
  DeadLetterError,
  deleteTopology,
  deriveTopology,
  listDeadLetters,
  ManagementClient,
  parseTopology,
  planTopology,
  policyOfQueue,
  purgeDeadLetters,
  replayDeadLetters,
  type DesiredTopology,
} from '../../src';
import { HEADERS, managementUrlFor, splitUrls } from '@warren/core';
import { deadLetterExchangeName, deadLetterQueueName } from '../../src/model/names';

// @warren/testing depends on this package, so this file talks to the broker directly (AMQP_URL or the local one).
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const managementUrl = process.env.AMQP_MANAGEMENT_URL ?? managementUrlFor(splitUrls(amqpUrl)[0] as string);
const target = { amqpUrl, managementUrl };
const applied: DesiredTopology[] = [];
const run = randomBytes(3).toString('hex');
let counter = 0;
const unique = (prefix: string): string => `${prefix}-${run}-${++counter}`;

let connection: ChannelModel;
let channel: ConfirmChannel;
const created: string[] = [];

beforeAll(async () => {
  connection = await connect(amqpUrl);
  connection.on('error', () => undefined);
  channel = await connection.createConfirmChannel();
  channel.on('error', () => undefined);
});

afterAll(async () => {
  for (const desired of applied) await deleteTopology(desired, target);
  for (const name of created) await channel.deleteQueue(name);
  for (const name of created) await channel.deleteExchange(`${name}.dlx`).catch(() => undefined);
  await connection.close();
});

/** A work queue `q` with `q.dlx` → `q.dlq`, as `apply` lays it out. */
async function layout(type: 'quorum' | 'classic', workArguments: Record<string, unknown> = {}): Promise<string> {
  const queue = unique(`dl-${type}`);
  const dlx = deadLetterExchangeName(queue);
  const args = { 'x-queue-type': type };
  await channel.assertExchange(dlx, 'fanout', { durable: true });
  await channel.assertQueue(queue, {
    durable: true,
    arguments: { ...args, ...workArguments, 'x-dead-letter-exchange': dlx },
  });
  await channel.assertQueue(deadLetterQueueName(queue), { durable: true, arguments: args });
  await channel.bindQueue(deadLetterQueueName(queue), dlx, '');
  created.push(queue, deadLetterQueueName(queue));
  return queue;
}

async function park(queue: string, messageId: string, reason: string): Promise<void> {
  channel.publish(deadLetterExchangeName(queue), 'order.created', Buffer.from(`{"id":"${messageId}"}`), {
    messageId,
    persistent: true,
    contentType: 'application/json',
    headers: {
      [HEADERS.reason]: reason,
      [HEADERS.error]: `failed ${messageId}`,
      [HEADERS.attempt]: 4,
      [HEADERS.queue]: queue,
      [HEADERS.firstFailureAt]: '2026-01-01T00:00:00.000Z',
      [HEADERS.lastFailureAt]: '2026-01-01T00:00:30.000Z',
      [HEADERS.originalExchange]: 'orders',
      [HEADERS.originalRoutingKey]: 'order.created',
      tenant: 'acme',
    },
  });
  await channel.waitForConfirms();
}

const ready = async (queue: string): Promise<number> => (await channel.checkQueue(queue)).messageCount;

/** The ready count once it reaches `expected` (within 1 s): quorum queues apply returned messages asynchronously. */
async function settled(queue: string, expected: number): Promise<number> {
  let count = await ready(queue);
  for (let i = 0; i < 50 && count !== expected; i++) {
    await sleep(20);
    count = await ready(queue);
  }
  return count;
}

describe.each(['quorum', 'classic'] as const)('dead letters of a %s queue', (type) => {
  it('lists parked messages without removing them, up to the limit', async () => {
    const queue = await layout(type);
    await park(queue, 'a', 'handler-error');
    await park(queue, 'b', 'non-retryable');
    await park(queue, 'c', 'handler-error');

    const listing = await listDeadLetters(queue, { amqpUrl, limit: 2 });

    expect(listing).toMatchObject({ queue, deadLetterQueue: `${queue}.dlq`, total: 3 });
    expect(listing.messages.map((m) => m.messageId)).toEqual(['a', 'b']);
    expect(listing.messages[0]).toMatchObject({
      source: 'warren',
      reason: 'handler-error',
      error: 'failed a',
      attempts: 4,
      originalRoutingKey: 'order.created',
      firstFailureAt: '2026-01-01T00:00:00.000Z',
    });
    expect(listing.messages[0]?.body).toBeUndefined();
    expect(await settled(deadLetterQueueName(queue), 3)).toBe(3);
    const withBody = await listDeadLetters(queue, { amqpUrl, limit: 1, includeBody: true });
    // Quorum queues put returned messages behind the others: the order of a listing is not stable.
    expect(withBody.messages[0]?.body).toBe(`{"id":"${withBody.messages[0]?.messageId}"}`);
    const again = await listDeadLetters(queue, { amqpUrl });
    expect(again.messages.map((m) => m.messageId).sort()).toEqual(['a', 'b', 'c']);
  });

  it('replays matching messages into the work queue with fresh retry headers, and keeps the rest', async () => {
    const queue = await layout(type);
    await park(queue, 'a', 'handler-error');
    await park(queue, 'b', 'non-retryable');
    await park(queue, 'c', 'handler-error');

    const result = await replayDeadLetters(queue, { amqpUrl, filterReason: 'handler-error' });

    expect(result).toEqual({
      queue,
      deadLetterQueue: `${queue}.dlq`,
      moved: 2,
      skipped: 1,
      total: 3,
      interrupted: false,
    });
    expect(await settled(queue, 2)).toBe(2);
    expect(await settled(deadLetterQueueName(queue), 1)).toBe(1);
    const replayed = await channel.get(queue, { noAck: true });
    if (replayed === false) throw new Error('expected a replayed message');
    expect(replayed.properties.messageId).toBe('a');
    expect(replayed.content.toString()).toBe('{"id":"a"}');
    // Quorum queues add x-delivery-count on delivery; the failure headers must be gone.
    const { 'x-delivery-count': _count, ...headers } = replayed.properties.headers ?? {};
    expect(headers).toEqual({
      [HEADERS.originalExchange]: 'orders',
      [HEADERS.originalRoutingKey]: 'order.created',
      tenant: 'acme',
    });
    const left = await listDeadLetters(queue, { amqpUrl });
    expect(left.messages.map((m) => m.reason)).toEqual(['non-retryable']);
  });

  it('replays at most --limit messages', async () => {
    const queue = await layout(type);
    for (const id of ['a', 'b', 'c']) await park(queue, id, 'handler-error');

    expect(await replayDeadLetters(queue, { amqpUrl, limit: 2 })).toMatchObject({ moved: 2, skipped: 0 });
    expect(await settled(queue, 2)).toBe(2);
    expect(await settled(deadLetterQueueName(queue), 1)).toBe(1);
  });

  it('purges the dead-letter queue', async () => {
    const queue = await layout(type);
    await park(queue, 'a', 'handler-error');
    await park(queue, 'b', 'handler-error');

    expect(await purgeDeadLetters(queue, { amqpUrl })).toEqual({
      queue,
      deadLetterQueue: `${queue}.dlq`,
      purged: 2,
    });
    expect(await settled(deadLetterQueueName(queue), 0)).toBe(0);
  });
});

it('describes a broker-side dead letter from x-death', async () => {
  const queue = await layout('classic');
  channel.sendToQueue(queue, Buffer.from('x'), { messageId: 'rejected-1' });
  await channel.waitForConfirms();
  const message = await channel.get(queue);
  if (message === false) throw new Error('expected a message');
  channel.reject(message, false);
  await settled(deadLetterQueueName(queue), 1);

  const listing = await listDeadLetters(queue, { amqpUrl });

  expect(listing.messages[0]).toMatchObject({ messageId: 'rejected-1', source: 'broker', reason: 'rejected' });
  expect(listing.messages[0]?.deaths[0]).toMatchObject({ queue, reason: 'rejected', count: 1 });
});

/**
 * A quorum work queue as `apply` lays it out, after the DLQ's policy was removed (as an apply from before DLQ policies
 * left it): `plan` must want the policy back on 4.x, and nothing on 3.x (which refuses -1 and has no default limit).
 */
async function appliedLayoutMissingTheDlqPolicy(): Promise<string> {
  const queue = unique('dl-applied');
  const desired = deriveTopology(parseTopology({ queues: { [queue]: { type: 'quorum', retry: false } } }));
  applied.push(desired);
  const policy = policyOfQueue(desired.policies, deadLetterQueueName(queue));
  if (!policy) throw new Error('expected a policy for the dead-letter queue');
  await applyTopology(desired, target);
  const management = new ManagementClient(managementUrl);
  const version = (await management.overview()).rabbitmq_version;
  await management.deletePolicy(policy.name).catch(() => undefined); // none on 3.x
  const changes = (await planTopology(desired, target)).items.filter((item) => item.action !== 'unchanged');
  const wanted = Number.parseInt(version, 10) >= 4 ? [['policy', 'create', policy.name]] : [];
  expect(changes.map((item) => [item.kind, item.action, item.name])).toEqual(wanted);
  expect((await applyTopology(desired, target)).changes).toHaveLength(wanted.length);
  return queue;
}

it('lists a quorum dead-letter queue many times without losing a message to the delivery limit', async () => {
  const queue = await appliedLayoutMissingTheDlqPolicy();
  await park(queue, 'a', 'handler-error');

  // 4.0-4.2 count every nack(requeue) against a quorum queue's delivery limit (20 by default from 4.0), and a DLQ
  // has no dead-letter exchange: without its policy (no limit), the 21st listing dropped the parked message.
  for (let i = 0; i < 25; i++) await listDeadLetters(queue, { amqpUrl });

  expect(await settled(deadLetterQueueName(queue), 1)).toBe(1);
});

it('skips a message in a quorum dead-letter queue replay after replay without losing it', async () => {
  const queue = await appliedLayoutMissingTheDlqPolicy();
  await park(queue, 'a', 'handler-error');

  // Each replay holds the skipped message and returns it with a nack: the same count as a listing.
  for (let i = 0; i < 25; i++) await replayDeadLetters(queue, { amqpUrl, filterReason: 'non-retryable' });

  expect(await settled(deadLetterQueueName(queue), 1)).toBe(1);
});

it('replays only what was parked when it started, even when the work queue dead-letters at once', async () => {
  // TTL 0: every replayed message expires on arrival and is parked again; an unbounded replay would never end.
  const queue = await layout('classic', { 'x-message-ttl': 0 });
  await park(queue, 'a', 'handler-error');
  await park(queue, 'b', 'handler-error');

  expect(await replayDeadLetters(queue, { amqpUrl })).toMatchObject({ moved: 2, skipped: 0 });
  expect(await settled(deadLetterQueueName(queue), 2)).toBe(2);
});

it('stops when the work queue refuses a re-publish, and keeps that message parked', async () => {
  const queue = await layout('classic', { 'x-max-length': 1, 'x-overflow': 'reject-publish' });
  for (const id of ['a', 'b', 'c']) await park(queue, id, 'handler-error');

  const error = await replayDeadLetters(queue, { amqpUrl }).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(DeadLetterError);
  expect(error).toMatchObject({ code: 'REPLAY_REJECTED', moved: 1 });
  expect((error as Error).message).toContain("message 'b'");
  expect(await settled(queue, 1)).toBe(1);
  expect(await settled(deadLetterQueueName(queue), 2)).toBe(2);
});

it('refuses to replay into a missing work queue and keeps the parked messages', async () => {
  const queue = await layout('classic');
  await park(queue, 'a', 'handler-error');
  await channel.deleteQueue(queue);

  const error = await replayDeadLetters(queue, { amqpUrl }).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(DeadLetterError);
  expect(error).toMatchObject({ code: 'QUEUE_NOT_FOUND', replyCode: 404 });
  expect((error as Error).message).toContain(`Queue '${queue}' does not exist`);
  expect(await settled(deadLetterQueueName(queue), 1)).toBe(1);
});

it('names the missing dead-letter queue', async () => {
  const queue = unique('no-dlq');
  const error = await listDeadLetters(queue, { amqpUrl }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'QUEUE_NOT_FOUND', replyCode: 404 });
  expect((error as Error).message).toContain(`'${queue}.dlq'`);
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
