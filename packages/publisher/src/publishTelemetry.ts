import type { Options } from 'amqplib';
import {
  AMQP_HEADERS_CARRIER,
  DURATION_BUCKETS,
  activeOtelApi,
  SEMCONV,
  serverAttributes,
  SPAN_KIND,
  SPAN_STATUS,
  type OtelApi,
  type OtelAttributes,
  type OtelObservable,
  type OtelObservableResult,
  type OtelSpan,
  type OtelTracer,
} from '@warren/core';
import type { Outbound } from './Outbound';

const SCOPE = '@warren/publisher';
/** Destinations whose attributes are kept (more are rebuilt for every publish). */
const MAX_DESTINATIONS = 1_000;

interface Destination {
  readonly spanName: string;
  readonly span: OtelAttributes;
  readonly metric: OtelAttributes;
}
const VERSION = '0.1.0';

/** @internal What the gauges read, at collection time: the buffer and the messages awaiting their confirm. */
export type GaugeSource = () => { readonly messages: number; readonly bytes: number; readonly inFlight: number };

/**
 * @internal The publisher's OpenTelemetry instruments (README, "Tracing and metrics"): a PRODUCER span per publish,
 * from the call to the broker's confirm (nack back-offs and re-sends as its events, the Warren code as `error.type`
 * on failure), `traceparent` in the message's headers, and the publish counter, duration histogram and buffer gauges.
 * Made once per publisher; `createPublishTelemetry` returns undefined when `@opentelemetry/api` is not installed
 * (or `telemetry: false`), and the publisher then calls nothing.
 */
export class PublishTelemetry {
  private readonly tracer: OtelTracer;
  private readonly sent;
  private readonly duration;
  private readonly gauges: OtelObservable[];
  private readonly base: OtelAttributes;
  private readonly destinations = new Map<string, Destination>();

  constructor(
    private readonly api: OtelApi,
    private readonly source: GaugeSource,
    name: string | undefined,
  ) {
    this.tracer = api.trace.getTracer(SCOPE, VERSION);
    const meter = api.metrics.getMeter(SCOPE, VERSION);
    this.sent = meter.createCounter('messaging.client.sent.messages', {
      description: 'Messages published, by outcome: no error.type when confirmed, else the Warren error code.',
      unit: '{message}',
    });
    this.duration = meter.createHistogram('messaging.client.operation.duration', {
      description: 'From the publish call to its outcome (the confirm, or the failure).',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.gauges = [
      meter.createObservableGauge('warren.publisher.buffer.messages', {
        description: 'Messages the publisher holds: buffered, in flight or backing off.',
        unit: '{message}',
      }),
      meter.createObservableGauge('warren.publisher.buffer.bytes', {
        description: 'Body bytes the publisher holds.',
        unit: 'By',
      }),
      meter.createObservableGauge('warren.publisher.in_flight', {
        description: "Messages sent and awaiting the broker's confirm.",
        unit: '{message}',
      }),
    ];
    this.base = name === undefined ? {} : { 'warren.client.name': name };
    this.gauges.forEach((gauge, i) => gauge.addCallback(this.observers[i] as (r: OtelObservableResult) => void));
  }

  private readonly observers = [
    (result: OtelObservableResult) => result.observe(this.source().messages, this.base),
    (result: OtelObservableResult) => result.observe(this.source().bytes, this.base),
    (result: OtelObservableResult) => result.observe(this.source().inFlight, this.base),
  ];

  /**
   * Starts the span of one publish, a child of the active context, and puts its context in the message's headers
   * (a copy: the caller's object is not changed). The attributes are set only when the span records.
   */
  start(message: Outbound, url: string): void {
    const api = this.api;
    const destination = this.destinationOf(message.exchange, message.routingKey);
    const span = this.tracer.startSpan(destination.spanName, { kind: SPAN_KIND.producer }, api.context.active());
    message.span = span;
    message.startedAt = performance.now();
    const spanContext = span.spanContext();
    if (!api.isSpanContextValid(spanContext)) return;
    const properties: Options.Publish = message.properties;
    const headers: Record<string, unknown> = { ...properties.headers };
    api.propagation.inject(api.trace.setSpan(api.context.active(), span), headers, AMQP_HEADERS_CARRIER);
    properties.headers = headers;
    if (!span.isRecording()) return;
    span.setAttributes(destination.span);
    span.setAttributes(serverAttributes(url));
    span.setAttribute(SEMCONV.messageId, message.messageId);
    span.setAttribute(SEMCONV.bodySize, message.body.length);
    const correlationId: unknown = properties.correlationId;
    if (typeof correlationId === 'string') span.setAttribute(SEMCONV.conversationId, correlationId);
  }

  confirmed(message: Outbound): void {
    this.count(message.exchange, message.startedAt, undefined);
    message.span?.end();
  }

  failed(message: Outbound, error: Error): void {
    this.fail(message.span, message.exchange, message.startedAt, error);
  }

  /** A publish refused before it was accepted (closed, too large, bad delay): counted, and a failed span. */
  refused(exchange: string, routingKey: string, error: Error): Error {
    const span = this.tracer.startSpan(
      spanName(exchange, routingKey),
      { kind: SPAN_KIND.producer },
      this.api.context.active(),
    );
    if (span.isRecording()) span.setAttributes(this.destinationOf(exchange, routingKey).span);
    this.fail(span, exchange, performance.now(), error);
    return error;
  }

  /** A nack: the back-off before the next copy, or the end of the budget (`retryAt` undefined). */
  nacked(message: Outbound, retryAt: number | undefined): void {
    const span = message.span;
    if (span === undefined || !span.isRecording()) return;
    const delayMs = retryAt === undefined ? -1 : Math.max(0, retryAt - Date.now());
    span.addEvent('warren.nack', { 'warren.nacks': message.nacks, 'warren.backoff_ms': delayMs });
  }

  /** The channel closed before the confirm: the message goes out again on the next one. */
  resent(message: Outbound): void {
    const span = message.span;
    if (span !== undefined && span.isRecording()) span.addEvent('warren.resend', { 'warren.reason': 'channel closed' });
  }

  close(): void {
    this.gauges.forEach((gauge, i) => gauge.removeCallback(this.observers[i] as (r: OtelObservableResult) => void));
  }

  /** The attributes of a destination, made once (a publish on the hot path builds no attribute object). */
  private destinationOf(exchange: string, routingKey: string): Destination {
    const key = `${exchange}\n${routingKey}`;
    let destination = this.destinations.get(key);
    if (destination === undefined) {
      destination = {
        spanName: spanName(exchange, routingKey),
        span: sendAttributes(exchange, routingKey),
        metric: { [SEMCONV.system]: 'rabbitmq', [SEMCONV.operationName]: 'send', [SEMCONV.destination]: exchange },
      };
      if (this.destinations.size < MAX_DESTINATIONS) this.destinations.set(key, destination);
    }
    return destination;
  }

  private fail(span: OtelSpan | undefined, exchange: string, startedAt: number, error: Error): void {
    const code = codeOf(error);
    this.count(exchange, startedAt, code);
    if (span === undefined) return;
    if (span.isRecording()) {
      span.setAttribute(SEMCONV.errorType, code);
      span.setStatus({ code: SPAN_STATUS.error, message: error.message });
    }
    span.end();
  }

  /** One publish settled: the counter and the duration, with `error.type` when it failed. */
  private count(exchange: string, startedAt: number, code: string | undefined): void {
    const metric = this.destinationOf(exchange, '').metric;
    const attributes = code === undefined ? metric : { ...metric, [SEMCONV.errorType]: code };
    this.sent.add(1, attributes);
    this.duration.record((performance.now() - startedAt) / 1000, attributes);
  }
}

/** @internal The publisher's instruments, or undefined without `@opentelemetry/api` (or with `telemetry: false`). */
export function createPublishTelemetry(
  options: { telemetry: boolean; name: string | undefined },
  source: GaugeSource,
): PublishTelemetry | undefined {
  const api = activeOtelApi(options.telemetry);
  return api === null ? undefined : new PublishTelemetry(api, source, options.name);
}

function sendAttributes(exchange: string, routingKey: string): OtelAttributes {
  const attributes: OtelAttributes = {
    [SEMCONV.system]: 'rabbitmq',
    [SEMCONV.operationType]: 'send',
    [SEMCONV.operationName]: 'send',
    [SEMCONV.destination]: exchange,
  };
  if (routingKey) attributes[SEMCONV.routingKey] = routingKey;
  return attributes;
}

/** `send <exchange>`; through the default exchange, `send <queue>` (its routing key). */
export const spanName = (exchange: string, routingKey: string): string => `send ${exchange || routingKey}`;

/** The Warren code of a failure (`error.type`), or the error's class name. */
function codeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.name || '_OTHER';
}
