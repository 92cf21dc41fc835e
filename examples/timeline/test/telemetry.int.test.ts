import { context, metrics, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { connect } from 'amqplib';
import { z } from 'zod';
import { createConsumer, NonRetryableError, type Consumer } from '@warren/consumer';
import { defineContract } from '@warren/core';
import { createPublisher, type Publisher } from '@warren/publisher';
import { uniqueName, useBroker, useTopology, waitFor } from '@warren/testing';
import { replayDeadLetters } from '@warren/topology';

// OpenTelemetry end to end, Warren on both sides, with the SDK's in-memory exporter and a reader collected on demand:
// one trace from an HTTP-style span through the broker to the worker, through the retry tiers and a dead-letter
// replay; request/reply linked; the metrics equal what the test did.
class CollectingReader extends MetricReader {
  protected onForceFlush = (): Promise<void> => Promise.resolve();
  protected onShutdown = (): Promise<void> => Promise.resolve();
}

const spans = new InMemorySpanExporter();
const reader = new CollectingReader();
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
afterAll(() => {
  trace.disable();
  metrics.disable();
  propagation.disable();
  context.disable();
});

const broker = useBroker();
const posts = uniqueName('otel-posts');
const flaky = uniqueName('otel-flaky');
const parked = uniqueName('otel-parked');
const asked = uniqueName('otel-asked');
const full = uniqueName('otel-full');
const stuck = uniqueName('otel-stuck');
const topology = useTopology(broker, {
  exchanges: { [posts]: { type: 'topic' } },
  queues: {
    [posts]: { bindings: [{ exchange: posts, routingKey: 'post.*' }] },
    [flaky]: { retry: { delays: ['200ms', '400ms'] } },
    [parked]: { retry: false, deadLetter: true },
    [asked]: {},
    [stuck]: {},
  },
});
const Post = defineContract({
  exchange: posts,
  routingKey: 'post.created',
  queue: posts,
  schema: z.object({ id: z.string() }),
});
const Flaky = defineContract({ exchange: '', routingKey: flaky, queue: flaky, schema: z.unknown() });
const Parked = defineContract({ exchange: '', routingKey: parked, queue: parked, schema: z.unknown() });
const Asked = defineContract({
  exchange: '',
  routingKey: asked,
  queue: asked,
  schema: z.object({}),
  reply: z.object({ ok: z.boolean() }),
});

let publisher: Publisher;
let consumer: Consumer;
beforeAll(() => {
  publisher = createPublisher({ urls: broker.amqpUrl, name: 'otel-test', backoffInitialMs: 20, backoffMaxMs: 50 });
  consumer = createConsumer({ urls: broker.amqpUrl, topology, name: 'otel-test', retryDelayMs: 100 });
  broker.teardown(() => consumer.close({ timeoutMs: 1_000 }));
  broker.teardown(() => publisher.close({ timeoutMs: 1_000 }));
});

const tracer = trace.getTracer('telemetry.int.test');
const named = (name: string) => spans.getFinishedSpans().filter((span) => span.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const until = (what: string, probe: () => boolean) =>
  waitFor(what, 10_000, async () => (probe() ? true : undefined), 20);

/** An HTTP handler's span: the publish inside it is its child. */
function inHttpRequest<T>(work: () => Promise<T>): Promise<{ result: T; http: ReadableSpan }> {
  return tracer.startActiveSpan('POST /posts', { kind: SpanKind.SERVER }, async (span) => {
    const result = await work();
    span.end();
    return { result, http: named('POST /posts').at(-1)! };
  });
}

describe('OpenTelemetry', () => {
  it('runs one trace from an HTTP span through publish to the handler, with the conventions attributes', async () => {
    await consumer.consume(Post, () => void tracer.startSpan('render timeline').end());
    const { http } = await inHttpRequest(() => publisher.publish(Post, { id: 'p1' }, { messageId: 'post-1' }));
    await until('the process span', () => named(`process ${posts}`).length === 1);

    const [send] = named(`send ${posts}`);
    const [process] = named(`process ${posts}`);
    const [work] = named('render timeline');
    const traceId = http.spanContext().traceId;
    expect([send, process, work].map((span) => span!.spanContext().traceId)).toEqual([traceId, traceId, traceId]);
    expect(send!.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(send!)).toBe(http.spanContext().spanId);
    expect(process!.kind).toBe(SpanKind.CONSUMER);
    expect(parentOf(process!)).toBe(send!.spanContext().spanId);
    expect(parentOf(work!)).toBe(process!.spanContext().spanId);
    expect(send!.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': posts,
      'messaging.rabbitmq.destination.routing_key': 'post.created',
      'messaging.message.id': 'post-1',
      'messaging.message.body.size': Buffer.byteLength('{"id":"p1"}'),
      'server.address': '127.0.0.1',
    });
    expect(process!.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'process',
      'messaging.destination.name': posts,
      'messaging.destination.subscription.name': posts,
      'messaging.rabbitmq.destination.routing_key': 'post.created',
      'messaging.message.id': 'post-1',
      'warren.attempt': 1,
      'warren.outcome': 'ack',
    });
    expect(typeof process!.attributes['messaging.rabbitmq.message.delivery_tag']).toBe('number');
  });

  it('keeps the trace through both retry tiers of a message that succeeds on its third attempt', async () => {
    await consumer.consume(Flaky, (_payload, ctx) => {
      if (ctx.attempt < 3) throw new Error(`attempt ${ctx.attempt} fails`);
    });
    const { http } = await inHttpRequest(() => publisher.publish(Flaky, { n: 1 }));
    await until('three attempts', () => named(`process ${flaky}`).length === 3);

    const [send] = named(`send ${flaky}`);
    const attempts = named(`process ${flaky}`);
    for (const span of attempts) {
      expect(span.spanContext().traceId).toBe(http.spanContext().traceId);
      expect(parentOf(span)).toBe(send!.spanContext().spanId);
    }
    expect(attempts.map((span) => span.attributes['warren.attempt'])).toEqual([1, 2, 3]);
    expect(attempts.map((span) => span.attributes['warren.retry.tier'])).toEqual([0, 1, undefined]);
    expect(attempts.map((span) => span.attributes['warren.outcome'])).toEqual(['retry', 'retry', 'ack']);
    expect(attempts.map((span) => span.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR, 0]);
    expect(attempts[0]!.attributes['error.type']).toBe('Error');
  });

  it('keeps the trace through a dead letter and its replay', async () => {
    let replayed = false;
    await consumer.consume(Parked, () => {
      if (!replayed) throw new NonRetryableError('not now');
    });
    const { http } = await inHttpRequest(() => publisher.publish(Parked, { n: 2 }));
    await until('the dead letter', () => named(`process ${parked}`).length === 1);
    replayed = true;
    await replayDeadLetters(parked, { amqpUrl: broker.amqpUrl });
    await until('the replayed attempt', () => named(`process ${parked}`).length === 2);

    const [first, second] = named(`process ${parked}`);
    expect(first!.attributes).toMatchObject({
      'warren.outcome': 'dead-letter',
      'warren.dead_letter.reason': 'non-retryable',
      'error.type': 'NON_RETRYABLE',
    });
    expect(second!.attributes['warren.outcome']).toBe('ack');
    expect(second!.spanContext().traceId).toBe(http.spanContext().traceId);
    expect(parentOf(second!)).toBe(named(`send ${parked}`)[0]!.spanContext().spanId);
  });

  it('links the request span to the worker span that replied', async () => {
    await consumer.consume(Asked, () => {
      tracer.startSpan('answer').end();
      return { ok: true };
    });
    const { result, http } = await inHttpRequest(() => publisher.request(Asked, {}));
    expect(result).toEqual({ ok: true });
    await until('the process span', () => named(`process ${asked}`).length === 1);

    const [request] = named(`send ${asked}`);
    const [process] = named(`process ${asked}`);
    expect(request!.spanContext().traceId).toBe(http.spanContext().traceId);
    expect(parentOf(process!)).toBe(request!.spanContext().spanId);
    expect(request!.links.map((link) => link.context.spanId)).toEqual([process!.spanContext().spanId]);
    expect(request!.attributes['messaging.message.conversation_id']).toEqual(expect.any(String));
  });

  it('counts what the publisher and the consumer did', async () => {
    // A queue of one message that refuses the next (reject-publish): the second publish ends BROKER_BUSY.
    const connection = await connect(broker.amqpUrl);
    const admin = await connection.createChannel();
    await admin.assertQueue(broker.trackQueue(full), {
      arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' },
    });
    await connection.close();
    const busy = createPublisher({ urls: broker.amqpUrl, timeoutMs: 600, backoffInitialMs: 20, backoffMaxMs: 50 });
    broker.teardown(() => busy.close({ timeoutMs: 1_000 }));
    await busy.publishRaw('', full, { n: 1 });
    const refused = await busy.publishRaw('', full, { n: 2 }).catch((error: { code?: string }) => error.code);
    expect(refused).toBe('BROKER_BUSY');
    const [, nacked] = named(`send ${full}`);
    expect(nacked!.status.code).toBe(SpanStatusCode.ERROR);
    expect(nacked!.attributes['error.type']).toBe('BROKER_BUSY');
    expect(nacked!.events.filter((event) => event.name === 'warren.nack').length).toBeGreaterThan(1);
    const { resourceMetrics } = await reader.collect();
    const points = (name: string) =>
      resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics.filter((m) => m.descriptor.name === name))
        .flatMap((metric) => metric.dataPoints as DataPoint<number | Histogram>[]);
    const sum = (name: string, match: Record<string, unknown>) =>
      points(name)
        .filter((point) => Object.entries(match).every(([key, value]) => point.attributes[key] === value))
        .reduce((total, point) => total + (typeof point.value === 'number' ? point.value : point.value.count), 0);
    const sent = 'messaging.client.sent.messages';
    const to = (exchange: string) => ({ 'messaging.destination.name': exchange });
    const queue = (name: string) => ({ 'messaging.destination.subscription.name': name });

    expect(sum(sent, { ...to(posts), 'error.type': undefined })).toBe(1);
    expect(sum(sent, { ...to(''), 'error.type': undefined })).toBe(3); // flaky, parked, full (the request is not counted)
    expect(sum(sent, { ...to(''), 'error.type': 'BROKER_BUSY' })).toBe(1);
    expect(sum('messaging.client.operation.duration', to(''))).toBe(4);
    expect(sum('messaging.client.consumed.messages', queue(flaky))).toBe(3);
    expect(sum('messaging.process.duration', queue(flaky))).toBe(3);
    expect(sum('messaging.process.duration', { ...queue(flaky), 'error.type': 'Error' })).toBe(2);
    expect(sum('warren.consumer.acked.messages', queue(flaky))).toBe(1);
    expect(sum('warren.consumer.retried.messages', { ...queue(flaky), 'warren.retry.tier': 0 })).toBe(1);
    expect(sum('warren.consumer.retried.messages', { ...queue(flaky), 'warren.retry.tier': 1 })).toBe(1);
    expect(sum('warren.consumer.dead_lettered.messages', queue(flaky))).toBe(0);
    expect(
      sum('warren.consumer.dead_lettered.messages', { ...queue(parked), 'warren.dead_letter.reason': 'non-retryable' }),
    ).toBe(1);
    expect(sum('messaging.client.consumed.messages', queue(parked))).toBe(2);
    expect(sum('warren.consumer.in_flight', queue(posts))).toBe(0);
    expect(sum('warren.publisher.buffer.messages', { 'warren.client.name': 'otel-test' })).toBe(0);
  });

  it('ends the span of a delivery abandoned at shutdown, as requeued', async () => {
    const Stuck = defineContract({ exchange: '', routingKey: stuck, queue: stuck, schema: z.unknown() });
    const worker = createConsumer({ urls: broker.amqpUrl, topology, name: 'otel-stuck' });
    broker.teardown(() => worker.close({ timeoutMs: 1_000 }));
    let started = false;
    await worker.consume(Stuck, () => {
      started = true;
      return new Promise(() => undefined); // never settles: only close() ends it
    });
    await publisher.publish(Stuck, { n: 1 });
    await until('the handler to start', () => started);
    await worker.close({ timeoutMs: 200 });

    const [abandoned] = named(`process ${stuck}`);
    expect(abandoned?.attributes['warren.outcome']).toBe('requeue');
  });
});
