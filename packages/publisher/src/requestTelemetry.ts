import type { Options } from 'amqplib';
import {
  AMQP_HEADERS_CARRIER,
  activeOtelApi,
  SEMCONV,
  SPAN_KIND,
  SPAN_STATUS,
  type OtelApi,
  type OtelSpan,
  type OtelTracer,
} from '@warren/core';
import { spanName } from './publishTelemetry';

/**
 * @internal The spans of `publisher.request()`: a PRODUCER span from the call to the reply (or the failure), its
 * context in the request's headers, and a link to the worker's process span, whose context the reply carries.
 */
export class RequestTelemetry {
  private readonly tracer: OtelTracer;

  constructor(private readonly api: OtelApi) {
    this.tracer = api.trace.getTracer('@warren/publisher', '0.1.0');
  }

  /** Starts the request's span under the active context and puts its context in `properties.headers` (a copy). */
  start(exchange: string, routingKey: string, properties: Options.Publish): OtelSpan {
    const api = this.api;
    const span = this.tracer.startSpan(
      spanName(exchange, routingKey),
      { kind: SPAN_KIND.producer },
      api.context.active(),
    );
    if (!api.isSpanContextValid(span.spanContext())) return span;
    const headers: Record<string, unknown> = { ...properties.headers };
    api.propagation.inject(api.trace.setSpan(api.context.active(), span), headers, AMQP_HEADERS_CARRIER);
    properties.headers = headers;
    if (span.isRecording()) {
      span.setAttributes({
        [SEMCONV.system]: 'rabbitmq',
        [SEMCONV.operationType]: 'send',
        [SEMCONV.operationName]: 'send',
        [SEMCONV.destination]: exchange,
        [SEMCONV.routingKey]: routingKey || undefined,
        [SEMCONV.messageId]: properties.messageId as string | undefined,
        [SEMCONV.conversationId]: properties.correlationId,
      });
    }
    return span;
  }

  /** The reply came: a link to the worker's span (its context is in the reply's headers). */
  replied(span: OtelSpan | undefined, headers: Record<string, unknown> | undefined): void {
    if (span === undefined || !span.isRecording() || headers === undefined) return;
    const replyContext = this.api.trace.getSpanContext(
      this.api.propagation.extract(this.api.ROOT_CONTEXT, headers, AMQP_HEADERS_CARRIER),
    );
    if (replyContext === undefined || !this.api.isSpanContextValid(replyContext)) return;
    span.addLink?.({ context: replyContext, attributes: { 'warren.link': 'reply' } });
    span.addEvent('warren.reply', {
      'warren.reply.trace_id': replyContext.traceId,
      'warren.reply.span_id': replyContext.spanId,
    });
  }

  failed(span: OtelSpan | undefined, error: unknown): void {
    if (span === undefined || !span.isRecording()) return;
    const code = (error as { code?: unknown } | undefined)?.code;
    span.setAttribute(SEMCONV.errorType, typeof code === 'string' ? code : '_OTHER');
    span.setStatus({ code: SPAN_STATUS.error, message: String((error as Error | undefined)?.message ?? error) });
  }
}

/** @internal The request spans, or undefined without `@opentelemetry/api` (or with `telemetry: false`). */
export function createRequestTelemetry(options: { telemetry: boolean }): RequestTelemetry | undefined {
  const api = activeOtelApi(options.telemetry);
  return api === null ? undefined : new RequestTelemetry(api);
}
