import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { activeOtelApi, AMQP_HEADERS_CARRIER, otelApi, resetOtelApi, serverAttributes } from '../src';

afterEach(() => resetOtelApi());

describe('otelApi', () => {
  it('is null when @opentelemetry/api cannot be loaded (not installed): every instrument is then a no-op', () => {
    const missing = (): unknown => {
      throw Object.assign(new Error("Cannot find module '@opentelemetry/api'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(otelApi(missing)).toBeNull();
    // Cached: the loader is not tried again for every message.
    expect(otelApi()).toBeNull();
  });

  it('loads the installed api once', () => {
    const api = otelApi();
    expect(typeof api?.trace.getTracer).toBe('function');
    expect(otelApi(() => ({}))).toBe(api);
  });
});

describe('activeOtelApi', () => {
  afterEach(() => {
    trace.disable();
    metrics.disable();
  });

  it('is null while no SDK is registered, so a runtime makes no instruments (nothing per message)', () => {
    expect(activeOtelApi(true)).toBeNull();
  });

  it('is the api once a tracer provider or a meter provider is registered, unless telemetry is off', () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    expect(activeOtelApi(true)).toBe(otelApi());
    expect(activeOtelApi(false)).toBeNull();
    trace.disable();
    metrics.setGlobalMeterProvider(new MeterProvider());
    expect(activeOtelApi(true)).toBe(otelApi());
  });
});

describe('AMQP_HEADERS_CARRIER', () => {
  it('reads string and Buffer headers, writes strings', () => {
    const headers: Record<string, unknown> = { traceparent: Buffer.from('00-abc'), n: 1 };
    expect(AMQP_HEADERS_CARRIER.get(headers, 'traceparent')).toBe('00-abc');
    expect(AMQP_HEADERS_CARRIER.get(headers, 'n')).toBeUndefined();
    AMQP_HEADERS_CARRIER.set(headers, 'tracestate', 'k=v');
    expect(AMQP_HEADERS_CARRIER.keys(headers)).toEqual(['traceparent', 'n', 'tracestate']);
  });
});

describe('serverAttributes', () => {
  it('takes server.address and server.port from a broker URL', () => {
    expect(serverAttributes('amqp://guest:***@rabbit.local/vhost')).toEqual({
      'server.address': 'rabbit.local',
      'server.port': 5672,
    });
    expect(serverAttributes('amqps://h:5999')).toEqual({ 'server.address': 'h', 'server.port': 5999 });
    expect(serverAttributes('not a url')).toEqual({});
  });
});
