import { ConnectionConfigError, redactUrl, WarrenError, type WarrenCode } from '@warren/core';

/**
 * A failed management API call; `status` is the HTTP status (0 when the API could not be reached or did not answer
 * in time). `NOT_RABBITMQ` when the server that answers is not RabbitMQ's management API.
 */
export class ManagementApiError extends WarrenError {
  readonly status: number;
  constructor(message: string, status: number, options: { cause?: unknown; notRabbitMq?: boolean } = {}) {
    super(codeOf(status, options.notRabbitMq ?? false), message, options);
    this.status = status;
  }
}

function codeOf(status: number, notRabbitMq: boolean): WarrenCode {
  if (notRabbitMq) return 'NOT_RABBITMQ';
  return status === 0 ? 'MANAGEMENT_UNREACHABLE' : 'MANAGEMENT_API_ERROR';
}

/** How the management client behaves. */
export interface ManagementClientOptions {
  /**
   * Milliseconds to wait for a node's whole answer; a node that accepts the connection but does not answer in time
   * counts as unreachable, and the next node is tried.
   * @default 10000
   */
  readonly timeoutMs?: number;
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
  /** Rates of the last sample (messages per second); absent until something was published or delivered. */
  message_stats?: { deliver_get_details?: { rate?: number }; ack_details?: { rate?: number } };
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
  private readonly timeoutMs: number;

  constructor(managementUrl: string | readonly string[], vhost = '/', options: ManagementClientOptions = {}) {
    const urls = typeof managementUrl === 'string' ? [managementUrl] : managementUrl;
    if (urls.length === 0)
      throw new ConnectionConfigError('INVALID_URL', 'No management API URL given (--management-url).');
    this.endpoints = urls.map(endpoint);
    this.vhost = vhost;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** `/api/queues/{vhost}` with the vhost encoded (`/` → `%2F`). */
  path(template: string, ...names: string[]): string {
    let i = 0;
    return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(names[i++] ?? ''));
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let answer: { response: Response; text: string } | undefined;
    let unreachable: unknown;
    for (let attempt = 0; attempt < this.endpoints.length && answer === undefined; attempt++) {
      const index = (this.current + attempt) % this.endpoints.length;
      try {
        answer = await this.send(this.endpoints[index] as Endpoint, method, path, body);
        this.current = index;
      } catch (cause) {
        unreachable = cause;
      }
    }
    if (answer === undefined) throw this.unreachable(unreachable);
    const { response, text } = answer;
    if (!response.ok) {
      const reason = text ? ((safeJson(text) as { reason?: string })?.reason ?? text) : response.statusText;
      throw new ManagementApiError(`${method} ${path} failed with HTTP ${response.status}: ${reason}`, response.status);
    }
    if (!text) return undefined as T;
    const parsed = safeJson(text);
    if (parsed === undefined) throw notRabbitMq(this.where(), `${method} ${path} answered with something not JSON`);
    return parsed as T;
  }

  /** One request to one node, the whole answer read within `timeoutMs` (undici alone would wait 300 s). */
  private async send(endpoint: Endpoint, method: string, path: string, body: unknown) {
    const response = await fetch(`${endpoint.base}${path}`, {
      method,
      headers: { authorization: endpoint.authorization, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(this.timeoutMs),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { response, text: await response.text() };
  }

  private where(): string {
    return this.endpoints.map(({ base }) => redactUrl(base)).join(', ');
  }

  private unreachable(cause: unknown): ManagementApiError {
    const timedOut = (cause as { name?: unknown })?.name === 'TimeoutError';
    const why = timedOut ? ` (no answer within ${this.timeoutMs / 1000} s; --timeout to wait longer)` : '';
    return new ManagementApiError(
      `Cannot reach the RabbitMQ management API at ${this.where()}${why}: is the rabbitmq_management plugin ` +
        `enabled (rabbitmq-plugins enable rabbitmq_management) and the URL right (--management-url)?`,
      0,
      { cause },
    );
  }

  /**
   * `GET /api/overview`, which every RabbitMQ answers whatever the vhost: a server that answers it with a client
   * error or without `rabbitmq_version` is not RabbitMQ's management API (`NOT_RABBITMQ`), which keeps a web
   * server's 404 from reading as "the vhost does not exist".
   */
  async overview(): Promise<{ rabbitmq_version: string; cluster_name?: string }> {
    const overview = await this.request<{ rabbitmq_version?: unknown }>('GET', '/api/overview').catch((error) => {
      const status = error instanceof ManagementApiError ? error.status : 0;
      if (status >= 400 && status < 500 && status !== 401 && status !== 403)
        throw notRabbitMq(this.where(), `GET /api/overview answered HTTP ${status}`, status, error);
      throw error;
    });
    if (typeof overview?.rabbitmq_version !== 'string')
      throw notRabbitMq(this.where(), 'GET /api/overview has no rabbitmq_version');
    return overview as { rabbitmq_version: string; cluster_name?: string };
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

function notRabbitMq(where: string, what: string, status = 200, cause?: unknown): ManagementApiError {
  return new ManagementApiError(
    `The server at ${where} is not RabbitMQ's management API (${what}). Point --management-url ` +
      `(AMQP_MANAGEMENT_URL) at RabbitMQ's management port (15672 by default, the AMQP port + 10000).`,
    status,
    { cause, notRabbitMq: true },
  );
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
