import {
  AMQP_HEADERS_CARRIER,
  DURATION_BUCKETS,
  originOf,
  activeOtelApi,
  SEMCONV,
  serverAttributes,
  SPAN_KIND,
  SPAN_STATUS,
  type OtelApi,
  type OtelAttributes,
  type OtelObservable,
  type OtelObservableResult,
  type OtelTracer,
} from '@warren/core';
import type { Delivery } from './context';
import type { Failure, HandOff } from './handoff';

const SCOPE = '@warren/consumer';
const VERSION = '0.1.0';
const TRACEPARENT = 'traceparent';

interface QueueAttributes {
  readonly spanName: string;
  readonly metric: OtelAttributes;
  readonly span: OtelAttributes;
}

/** @internal What the in-flight gauge reads: each subscription's queue and its deliveries in flight. */
export type InFlightSource = () => Iterable<{ readonly queue: string; readonly inFlight: { readonly size: number } }>;

/**
 * @internal The consumer's OpenTelemetry instruments (README, "Tracing and metrics"): a CONSUMER `process` span per
 * delivery around its handler, a child of the context in the message's `traceparent`, kept open until the delivery is
 * settled (acked, handed to a retry tier or the dead-letter queue, requeued); and the delivery, ack, retry,
 * dead-letter counters, the handler duration histogram and the in-flight gauge. Made once per consumer;
 * `createConsumeTelemetry` returns undefined without `@opentelemetry/api` (or with `telemetry: false`).
 */
export class ConsumeTelemetry {
  private readonly tracer: OtelTracer;
  private readonly consumed;
  private readonly duration;
  private readonly acks;
  private readonly retries;
  private readonly deadLetters;
  private readonly inFlightGauge: OtelObservable;
  private server: OtelAttributes = {};
  /** Per queue consumed (a consumer has a few). */
  private readonly queues = new Map<string, QueueAttributes>();

  constructor(
    private readonly api: OtelApi,
    private readonly inFlight: InFlightSource,
  ) {
    this.tracer = api.trace.getTracer(SCOPE, VERSION);
    const meter = api.metrics.getMeter(SCOPE, VERSION);
    const messages = (description: string) => ({ description, unit: '{message}' });
    this.consumed = meter.createCounter('messaging.client.consumed.messages', messages('Deliveries.'));
    this.duration = meter.createHistogram('messaging.process.duration', {
      description: "The handler's run time, per attempt (error.type when it failed).",
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.acks = meter.createCounter('warren.consumer.acked.messages', messages('Acks sent.'));
    this.retries = meter.createCounter(
      'warren.consumer.retried.messages',
      messages('Failed attempts handed to a retry tier.'),
    );
    this.deadLetters = meter.createCounter(
      'warren.consumer.dead_lettered.messages',
      messages('Messages handed to the dead-letter queue.'),
    );
    this.inFlightGauge = meter.createObservableGauge(
      'warren.consumer.in_flight',
      messages('Deliveries being handled or settled.'),
    );
    this.inFlightGauge.addCallback(this.observeInFlight);
  }

  /** The node the consumer is connected to (password-free URL): `server.address` and `server.port`. */
  connectedTo(url: string): void {
    this.server = serverAttributes(url);
  }

  /** A delivery arrived: counts it and starts its span under the context its headers carry. */
  start(delivery: Delivery): void {
    const api = this.api;
    const message = delivery.message;
    const headers = message.properties.headers;
    const parent =
      headers !== undefined && TRACEPARENT in headers
        ? api.propagation.extract(api.ROOT_CONTEXT, headers, AMQP_HEADERS_CARRIER)
        : api.context.active();
    const queue = this.queueOf(delivery.queue);
    const span = this.tracer.startSpan(queue.spanName, { kind: SPAN_KIND.consumer }, parent);
    delivery.span = span;
    delivery.spanContext = api.trace.setSpan(parent, span);
    this.consumed.add(1, queue.metric);
    if (!span.isRecording()) return;
    const origin = originOf(message);
    span.setAttributes(queue.span);
    span.setAttributes(this.server);
    span.setAttribute(SEMCONV.destination, origin.exchange);
    if (origin.routingKey) span.setAttribute(SEMCONV.routingKey, origin.routingKey);
    const { messageId, correlationId } = message.properties as { messageId?: unknown; correlationId?: unknown };
    if (typeof messageId === 'string') span.setAttribute(SEMCONV.messageId, messageId);
    if (typeof correlationId === 'string') span.setAttribute(SEMCONV.conversationId, correlationId);
    span.setAttribute(SEMCONV.bodySize, message.content.length);
    span.setAttribute(SEMCONV.deliveryTag, message.fields.deliveryTag);
    span.setAttribute(SEMCONV.attempt, delivery.attempt);
    // Until an ack or a hand-off overwrites it: a delivery settled neither way goes back to the queue.
    span.setAttribute(SEMCONV.outcome, 'requeue');
  }

  /** Runs the handler with the delivery's span as the active context (the handler's own spans are its children). */
  run<V, R>(delivery: Delivery, handler: (value: V, context: Delivery) => R, value: V): R {
    return this.api.context.with(delivery.spanContext ?? this.api.ROOT_CONTEXT, handler, undefined, value, delivery);
  }

  /** The handler finished: its duration, with `error.type` when it failed. */
  handled(delivery: Delivery, error: unknown, failed: boolean): void {
    const metric = this.queueOf(delivery.queue).metric;
    const attributes = failed ? { ...metric, [SEMCONV.errorType]: errorType(error) } : metric;
    this.duration.record((performance.now() - delivery.startedAt) / 1000, attributes);
  }

  acked(delivery: Delivery): void {
    this.acks.add(1, this.queueOf(delivery.queue).metric);
    delivery.span?.setAttribute(SEMCONV.outcome, 'ack');
  }

  /** The hand-off is confirmed: counted by tier or reason, and the outcome on the span. */
  handedOff(delivery: Delivery, plan: HandOff, failure: Failure): void {
    const attributes = { ...this.queueOf(delivery.queue).metric };
    const span = delivery.span;
    if (plan.kind === 'retry') {
      attributes[SEMCONV.retryTier] = plan.tier;
      this.retries.add(1, attributes);
    } else {
      attributes[SEMCONV.deadLetterReason] = plan.reason ?? 'retries-exhausted';
      this.deadLetters.add(1, attributes);
    }
    if (span === undefined || !span.isRecording()) return;
    span.setAttributes({ ...attributes, [SEMCONV.outcome]: plan.kind, [SEMCONV.errorType]: errorType(failure) });
    span.setStatus({ code: SPAN_STATUS.error, message: failure.error });
  }

  /** Settled for good, or abandoned at shutdown (its channel's close requeues it): the span ends, once. */
  end(delivery: Delivery): void {
    delivery.span?.end();
    delivery.span = undefined;
  }

  /** A queue's span name and attributes, made once (a delivery on the hot path builds no attribute object). */
  private queueOf(name: string): QueueAttributes {
    let queue = this.queues.get(name);
    if (queue === undefined) {
      const metric = { [SEMCONV.system]: 'rabbitmq', [SEMCONV.operationName]: 'process', [SEMCONV.subscription]: name };
      queue = { spanName: `process ${name}`, metric, span: { ...metric, [SEMCONV.operationType]: 'process' } };
      this.queues.set(name, queue);
    }
    return queue;
  }

  close(): void {
    this.inFlightGauge.removeCallback(this.observeInFlight);
  }

  private readonly observeInFlight = (result: OtelObservableResult): void => {
    for (const subscription of this.inFlight()) {
      result.observe(subscription.inFlight.size, this.queueOf(subscription.queue).metric);
    }
  };
}

/** @internal The consumer's instruments, or undefined without `@opentelemetry/api` (or with `telemetry: false`). */
export function createConsumeTelemetry(enabled: boolean, inFlight: InFlightSource): ConsumeTelemetry | undefined {
  const api = activeOtelApi(enabled);
  return api === null ? undefined : new ConsumeTelemetry(api, inFlight);
}

/** @internal Calls the handler, inside the delivery's span context when telemetry is on. */
export function runHandler<V, R>(
  handler: (value: V, context: Delivery) => R,
  value: V,
  delivery: Delivery,
  telemetry: ConsumeTelemetry | undefined,
): R {
  return telemetry === undefined ? handler(value, delivery) : telemetry.run(delivery, handler, value);
}

/** The code of what the handler threw (`code`), else its class name; a failure's code or dead-letter reason. */
function errorType(error: unknown): string {
  const e = error as { code?: unknown; reason?: unknown; thrown?: unknown; name?: unknown } | undefined;
  if (typeof e?.code === 'string') return e.code;
  if (e !== undefined && 'thrown' in e) return errorType(e.thrown);
  if (typeof e?.reason === 'string') return e.reason;
  return typeof e?.name === 'string' && e.name !== '' ? e.name : '_OTHER';
}
