import { otelApi, type OtelAttributes, type OtelCarrierAccess, type OtelContext } from './otel-api';

/**
 * The OpenTelemetry messaging semantic conventions' names Warren's spans and metrics use (RabbitMQ flavour), and
 * Warren's own (`warren.*`) where the conventions have none.
 */
export const SEMCONV = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  subscription: 'messaging.destination.subscription.name',
  routingKey: 'messaging.rabbitmq.destination.routing_key',
  messageId: 'messaging.message.id',
  conversationId: 'messaging.message.conversation_id',
  bodySize: 'messaging.message.body.size',
  deliveryTag: 'messaging.rabbitmq.message.delivery_tag',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  attempt: 'warren.attempt',
  retryTier: 'warren.retry.tier',
  deadLetterReason: 'warren.dead_letter.reason',
  outcome: 'warren.outcome',
} as const;

/** `SpanKind` and `SpanStatusCode` of the api, as numbers (the api's enums are not imported). */
export const SPAN_KIND = { client: 2, producer: 3, consumer: 4 } as const;
export const SPAN_STATUS = { ok: 1, error: 2 } as const;

/** The histogram buckets the conventions advise for `messaging.*.duration` (seconds). */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/**
 * The propagator's view of an AMQP headers table: `traceparent` and `tracestate` travel as message headers, so the
 * trace crosses the broker, the retry tiers and a dead-letter replay with the message.
 */
export const AMQP_HEADERS_CARRIER: OtelCarrierAccess = {
  get: (carrier, key) => {
    const value = carrier[key];
    return typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
  },
  keys: (carrier) => Object.keys(carrier),
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/**
 * `headers` with the trace context of `context` added (`traceparent`, `tracestate`), when there is one and the api is
 * installed; unchanged otherwise.
 */
export function withTraceContext(context: OtelContext | undefined, headers: Record<string, unknown>): typeof headers {
  const api = context === undefined ? null : otelApi();
  if (api !== null && context !== undefined) api.propagation.inject(context, headers, AMQP_HEADERS_CARRIER);
  return headers;
}

const servers = new Map<string, OtelAttributes>();

/** `server.address` and `server.port` of a broker URL (password-free), parsed once per URL. */
export function serverAttributes(url: string): OtelAttributes {
  let attributes = servers.get(url);
  if (attributes === undefined) {
    attributes = {};
    try {
      const parsed = new URL(url);
      attributes[SEMCONV.serverAddress] = parsed.hostname;
      attributes[SEMCONV.serverPort] = Number(parsed.port || (parsed.protocol === 'amqps:' ? 5671 : 5672));
    } catch {
      // Not a URL: no server attributes.
    }
    if (servers.size < 64) servers.set(url, attributes);
  }
  return attributes;
}
