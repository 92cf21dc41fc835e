import { ConnectionConfigError, redactUrl, WarrenError } from '@warren/core';

/** A failed management API call; `status` is the HTTP status (0 when the API could not be reached). */
export class ManagementApiError extends WarrenError {
  readonly status: number;
  constructor(message: string, status: number, options: { cause?: unknown } = {}) {
    super(status === 0 ? 'MANAGEMENT_UNREACHABLE' : 'MANAGEMENT_API_ERROR', message, options);
    this.status = status;
  }
}

/** Fields of `GET /api/queues/{vhost}` that Warren reads. Stats-derived ones (`messages`, ...) lag ~5 s. */
export interface LiveQueue {
  name: string;
  vhost: string;
  type?: string;
  durable: boolean;
  auto_delete: boolean;
  exclusive?: boolean;
  arguments: Record<string, unknown>;
  policy?: string | null;
  effective_policy_definition?: Record<string, unknown> | null;
  messages?: number;
  messages_ready?: number;
  messages_unacknowledged?: number;
  consumers?: number;
}
export interface LiveExchange {
  name: string;
  vhost: string;
  type: string;
  durable: boolean;
  auto_delete: boolean;
  internal: boolean;
  arguments: Record<string, unknown>;
}
export interface LiveBinding {
  source: string;
  vhost: string;
  destination: string;
  destination_type: 'queue' | 'exchange';
  routing_key: string;
  arguments: Record<string, unknown>;
  properties_key: string;
}
export interface LivePolicy {
  name: string;
  vhost: string;
  pattern: string;
  'apply-to': string;
  priority: number;
  definition: Record<string, unknown>;
}

/** One management endpoint: its URL without credentials, and the credentials as a header. */
interface Endpoint {
  readonly base: string;
  readonly authorization: string;
}

/**
 * A small client for RabbitMQ's management HTTP API (the only source of truth for live arguments and policies).
 * Credentials come from the URL (`http://user:pass@host:15672`) and never appear in errors. Given several URLs (the
 * nodes of a cluster), it uses the first that answers and moves on when that one stops answering.
 */
export class ManagementClient {
  private readonly endpoints: readonly Endpoint[];
  /** The endpoint that answered last; tried first. */
  private current = 0;
  readonly vhost: string;

  constructor(managementUrl: string | readonly string[], vhost = '/') {
    const urls = typeof managementUrl === 'string' ? [managementUrl] : managementUrl;
    if (urls.length === 0)
      throw new ConnectionConfigError('INVALID_URL', 'No management API URL given (--management-url).');
    this.endpoints = urls.map(endpoint);
    this.vhost = vhost;
  }

  /** `/api/queues/{vhost}` with the vhost encoded (`/` → `%2F`). */
  path(template: string, ...names: string[]): string {
    let i = 0;
    return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(names[i++] ?? ''));
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response | undefined;
    let unreachable: unknown;
    for (let attempt = 0; attempt < this.endpoints.length && response === undefined; attempt++) {
      const index = (this.current + attempt) % this.endpoints.length;
      const { base, authorization } = this.endpoints[index] as Endpoint;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: { authorization, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        this.current = index;
      } catch (cause) {
        unreachable = cause;
      }
    }
    if (response === undefined) {
      const where = this.endpoints.map(({ base }) => redactUrl(base)).join(', ');
      throw new ManagementApiError(
        `Cannot reach the RabbitMQ management API at ${where}: is the rabbitmq_management plugin ` +
          `enabled (rabbitmq-plugins enable rabbitmq_management) and the URL right (--management-url)?`,
        0,
        { cause: unreachable },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const reason = text ? ((safeJson(text) as { reason?: string })?.reason ?? text) : response.statusText;
      throw new ManagementApiError(`${method} ${path} failed with HTTP ${response.status}: ${reason}`, response.status);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  overview(): Promise<{ rabbitmq_version: string; cluster_name?: string }> {
    return this.request('GET', '/api/overview');
  }
  /**
   * `disableStats` skips the message counts and rates (much cheaper on big vhosts) but also drops `policy` and
   * `effective_policy_definition`.
   */
  queues(columns?: string[], options: { disableStats?: boolean } = {}): Promise<LiveQueue[]> {
    const query = [
      ...(columns ? [`columns=${columns.join(',')}`] : []),
      ...(options.disableStats ? ['disable_stats=true', 'enable_queue_totals=false'] : []),
    ];
    return this.request(
      'GET',
      this.path('/api/queues/{vhost}', this.vhost) + (query.length ? `?${query.join('&')}` : ''),
    );
  }
  queue(name: string): Promise<LiveQueue> {
    return this.request('GET', this.path('/api/queues/{vhost}/{name}', this.vhost, name));
  }
  /** `disableStats` skips the message rates (cheaper on big vhosts). */
  exchanges(options: { disableStats?: boolean } = {}): Promise<LiveExchange[]> {
    const query = options.disableStats ? '?disable_stats=true' : '';
    return this.request('GET', this.path('/api/exchanges/{vhost}', this.vhost) + query);
  }
  bindings(): Promise<LiveBinding[]> {
    return this.request('GET', this.path('/api/bindings/{vhost}', this.vhost));
  }
  policies(): Promise<LivePolicy[]> {
    return this.request('GET', this.path('/api/policies/{vhost}', this.vhost));
  }
  putPolicy(policy: Omit<LivePolicy, 'vhost'>): Promise<void> {
    const { name, ...body } = policy;
    return this.request('PUT', this.path('/api/policies/{vhost}/{name}', this.vhost, name), body);
  }
  deletePolicy(name: string): Promise<void> {
    return this.request('DELETE', this.path('/api/policies/{vhost}/{name}', this.vhost, name));
  }
  /**
   * Sets many policies in one request (`POST /api/definitions/{vhost}`): the broker applies each like a PUT, but
   * without one HTTP round trip and authorisation per policy. Needs the `administrator` tag on some versions.
   */
  putPolicies(policies: readonly Omit<LivePolicy, 'vhost'>[]): Promise<void> {
    const body = { policies: policies.map((policy) => ({ ...policy, vhost: this.vhost })) };
    return this.request('POST', this.path('/api/definitions/{vhost}', this.vhost), body);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function endpoint(managementUrl: string): Endpoint {
  const url = new URL(managementUrl);
  const user = decodeURIComponent(url.username || 'guest');
  const pass = decodeURIComponent(url.password || 'guest');
  url.username = '';
  url.password = '';
  return {
    base: url.toString().replace(/\/$/, ''),
    authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`,
  };
}
