import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** `GET /metrics`: what the service's handler for that route does. */
export type MetricsHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Registers the OpenTelemetry metrics SDK globally, read by the Prometheus exporter on demand (no server of its own:
 * the service answers `GET /metrics` with it). Call it before `createPublisher`/`createConsumer`: Warren makes its
 * instruments when a runtime is created. `shutdown` stops the provider.
 */
export function startMetrics(): { handler: MetricsHandler; shutdown: () => Promise<void> } {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(provider);
  return {
    handler: (request, response) => exporter.getMetricsRequestHandler(request, response),
    shutdown: () => provider.shutdown(),
  };
}
