/**
 * The part of `@opentelemetry/api` Warren uses, as structural types: the api is an optional peer dependency, so no
 * declaration Warren ships may name its module (a user's `tsc` would fail without it installed).
 */
export type OtelAttributes = Record<string, string | number | boolean | undefined>;

/** Structural: see the file comment. */
export interface OtelSpanContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
}

/** Structural: see the file comment. */
export interface OtelSpan {
  isRecording(): boolean;
  spanContext(): OtelSpanContext;
  setAttribute(key: string, value: string | number | boolean): unknown;
  setAttributes(attributes: OtelAttributes): unknown;
  addEvent(name: string, attributes?: OtelAttributes): unknown;
  addLink?(link: { context: OtelSpanContext; attributes?: OtelAttributes }): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** An opaque OpenTelemetry `Context`. */
export type OtelContext = object;

/** Structural: see the file comment. */
export interface OtelTracer {
  startSpan(
    name: string,
    options: { kind: number; attributes?: OtelAttributes; links?: { context: OtelSpanContext }[] },
    context?: OtelContext,
  ): OtelSpan;
}

/** A counter, up-down counter or histogram. */
export interface OtelRecorder {
  add?(value: number, attributes?: OtelAttributes): void;
  record?(value: number, attributes?: OtelAttributes): void;
}

/** Structural: see the file comment. */
export interface OtelObservableResult {
  observe(value: number, attributes?: OtelAttributes): void;
}

/** Structural: see the file comment. */
export interface OtelObservable {
  addCallback(callback: (result: OtelObservableResult) => void): void;
  removeCallback(callback: (result: OtelObservableResult) => void): void;
}

/** Structural: see the file comment. */
export interface OtelInstrumentOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

/** Structural: see the file comment. */
export interface OtelMeter {
  createCounter(name: string, options?: OtelInstrumentOptions): Required<Pick<OtelRecorder, 'add'>>;
  createHistogram(name: string, options?: OtelInstrumentOptions): Required<Pick<OtelRecorder, 'record'>>;
  createObservableGauge(name: string, options?: OtelInstrumentOptions): OtelObservable;
}

/** A `TextMapGetter`/`TextMapSetter` over an AMQP headers table. */
export interface OtelCarrierAccess {
  get(carrier: Record<string, unknown>, key: string): string | undefined;
  keys(carrier: Record<string, unknown>): string[];
  set(carrier: Record<string, unknown>, key: string, value: string): void;
}

/** What Warren calls on the `@opentelemetry/api` module. */
export interface OtelApi {
  trace: {
    getTracerProvider(): { getDelegate?(): object };
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
    getSpanContext(context: OtelContext): OtelSpanContext | undefined;
  };
  context: {
    active(): OtelContext;
    with<A extends unknown[], R>(context: OtelContext, fn: (...args: A) => R, thisArg?: unknown, ...args: A): R;
  };
  propagation: {
    inject(context: OtelContext, carrier: Record<string, unknown>, setter: OtelCarrierAccess): void;
    extract(context: OtelContext, carrier: Record<string, unknown>, getter: OtelCarrierAccess): OtelContext;
  };
  metrics: { getMeter(name: string, version?: string): OtelMeter };
  isSpanContextValid(spanContext: OtelSpanContext): boolean;
  createNoopMeter(): OtelMeter;
  ProxyTracerProvider: new () => { getDelegate(): object };
  ROOT_CONTEXT: OtelContext;
}

let loaded: OtelApi | null | undefined;

/**
 * `@opentelemetry/api` when it is installed, else null (once, then cached): without it, every Warren
 * instrument is a no-op. `load` is for tests.
 */
export function otelApi(load: () => unknown = requireApi): OtelApi | null {
  if (loaded === undefined) {
    try {
      loaded = load() as OtelApi;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/**
 * The api when `enabled`, installed, and an SDK registered a tracer or a meter provider; else null. Checked when a
 * runtime is created (the SDK must be registered first, as for any instrumentation): with nothing registered, Warren
 * makes no instruments, so a publish or a delivery costs nothing extra.
 */
export function activeOtelApi(enabled: boolean): OtelApi | null {
  const api = enabled ? otelApi() : null;
  if (api === null) return null;
  const tracing = api.trace.getTracerProvider().getDelegate?.() !== new api.ProxyTracerProvider().getDelegate();
  const metering = api.metrics.getMeter('@warren/core') !== api.createNoopMeter();
  return tracing || metering ? api : null;
}

/** Forgets the cached module (tests). */
export function resetOtelApi(): void {
  loaded = undefined;
}

// A plain require: the api is an optional peer, loaded only when a runtime starts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireApi = (): unknown => require('@opentelemetry/api');
