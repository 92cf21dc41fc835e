/**
 * `BENCH_OTEL=1`: registers the OpenTelemetry SDK before the bench creates its publishers and consumers, with exporters
 * that drop everything (spans through a BatchSpanProcessor, as in production; metrics aggregated by a reader nobody collects), so the
 * figures show what Warren's spans and metrics cost per message with an SDK, against the same bench without it.
 * Imported first by the benches; does nothing otherwise.
 */
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

class UncollectedReader extends MetricReader {
  protected onForceFlush = (): Promise<void> => Promise.resolve();
  protected onShutdown = (): Promise<void> => Promise.resolve();
}

const dropSpans: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: () => Promise.resolve(),
};

if (process.env.BENCH_OTEL === '1') {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropSpans)] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new UncollectedReader()] }));
  console.log('BENCH_OTEL=1: OpenTelemetry SDK registered (spans and metrics recorded, then dropped)');
}
