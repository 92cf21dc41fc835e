import type { GetMessage, Options } from 'amqplib';
import { HEADERS, isFailureHeader } from '@warren/core';

/** One `x-death` entry: the broker dead-lettered the message (reject, expiry, length limit, delivery limit). */
export interface DeathRecord {
  readonly queue: string;
  readonly reason: string;
  readonly count: number;
  readonly exchange: string;
  readonly routingKeys: readonly string[];
  /** ISO-8601, when the broker recorded it. */
  readonly time: string | null;
}

/** What is known about a parked message, from Warren's `x-warren-*` headers or the broker's `x-death`. */
export interface ParkedMessage {
  readonly messageId: string | null;
  /** `warren` when a Warren consumer parked it (it has `x-warren-reason`), `broker` for a broker-side dead letter. */
  readonly source: 'warren' | 'broker';
  readonly reason: string | null;
  readonly error: string | null;
  /** `x-warren-attempt`, or the `count` of the latest `x-death` entry. */
  readonly attempts: number | null;
  readonly firstFailureAt: string | null;
  readonly lastFailureAt: string | null;
  readonly originalExchange: string | null;
  readonly originalRoutingKey: string | null;
  /** Most recent first, as the broker keeps them. */
  readonly deaths: readonly DeathRecord[];
  readonly contentType: string | null;
  readonly bytes: number;
  /** The body as UTF-8 text, only when listed with `includeBody`. */
  readonly body?: string;
}

/**
 * The properties a replayed message is published with: the original ones, minus the failure headers, the
 * `expiration` (it may be why the message died) and the `userId` (the broker checks it against the replaying
 * user and would refuse the publish).
 */
export function replayProperties(message: Pick<GetMessage, 'properties'>): Options.Publish {
  const { headers, expiration: _expiration, clusterId: _clusterId, userId: _userId, ...rest } = message.properties;
  const kept = Object.fromEntries(Object.entries(headers ?? {}).filter(([key]) => !isFailureHeader(key)));
  const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return { ...defined, headers: kept, mandatory: true };
}

/** Summarises a parked message from its headers (Warren's first, the broker's `x-death` otherwise). */
export function describeParked(message: Pick<GetMessage, 'properties' | 'content'>): ParkedMessage {
  const headers: Record<string, unknown> = message.properties.headers ?? {};
  const deaths = deathRecords(headers['x-death']);
  const latest = deaths[0];
  const warrenReason = text(headers[HEADERS.reason]);
  const times = deaths.map((death) => death.time).filter((time): time is string => time !== null);
  return {
    messageId: text(message.properties.messageId),
    source: warrenReason === null && latest ? 'broker' : 'warren',
    reason: warrenReason ?? latest?.reason ?? null,
    error: text(headers[HEADERS.error]),
    attempts: integer(headers[HEADERS.attempt]) ?? latest?.count ?? null,
    firstFailureAt: text(headers[HEADERS.firstFailureAt]) ?? times.at(-1) ?? null,
    lastFailureAt: text(headers[HEADERS.lastFailureAt]) ?? times[0] ?? null,
    originalExchange: text(headers[HEADERS.originalExchange]) ?? latest?.exchange ?? null,
    originalRoutingKey: text(headers[HEADERS.originalRoutingKey]) ?? latest?.routingKeys[0] ?? null,
    deaths,
    contentType: text(message.properties.contentType),
    bytes: message.content.length,
  };
}

function deathRecords(value: unknown): DeathRecord[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry: Record<string, unknown>) => ({
    queue: text(entry.queue) ?? '',
    reason: text(entry.reason) ?? '',
    count: integer(entry.count) ?? 1,
    exchange: text(entry.exchange) ?? '',
    routingKeys: Array.isArray(entry['routing-keys']) ? entry['routing-keys'].map(String) : [],
    time: timestamp(entry.time),
  }));
}

/** AMQP timestamps are seconds; amqplib gives a number or `{ '!': 'timestamp', value }`. */
function timestamp(value: unknown): string | null {
  const seconds = typeof value === 'object' && value !== null ? (value as { value?: unknown }).value : value;
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;
}

/** @internal */
export function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

function integer(value: unknown): number | null {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

/** `'id'`, or the delivery tag when the message has no id: how errors name a message. @internal */
export function labelOf(message: GetMessage): string {
  const id = text(message.properties.messageId);
  return id === null ? `#${message.fields.deliveryTag} (no messageId)` : `'${id}'`;
}
