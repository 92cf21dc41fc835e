import { connect, type AmqpConnectionManager } from 'amqp-connection-manager';
import { encodePublishes } from './encode-publishes';
import { ConnectionConfigError } from './connection-error';
import { knownOptions } from './known-options';
import { fatalTlsError } from './tls-errors';
import { tlsSocketOptions, type TlsOptions } from './tls';
import { redactText, redactUrl, splitUrls } from './url';

export { ConnectionConfigError };

/** How a publisher or a consumer connects. Shared by both runtimes. */
export interface ConnectionOptions {
  /** One URL, several (a cluster; tried in turn), or a comma-separated list as in `AMQP_URL`. Required. */
  readonly urls: string | readonly string[];
  /**
   * Shown as the connection's name in the management UI and API (`connection_name`).
   * @default none: the UI shows the client's address and port
   */
  readonly name?: string;
  /** Seconds between heartbeats; a dead peer is detected after 2–3 intervals (10–15 s measured at 5 s). @default 5 */
  readonly heartbeatSeconds?: number;
  /** Seconds to wait between reconnect attempts. @default 1 */
  readonly reconnectSeconds?: number;
  /**
   * TCP_NODELAY. On by default: with Nagle's algorithm small confirmed publishes wait for the peer's delayed
   * ACK (p99 ≈ 29 ms instead of ≈ 2 ms here).
   * @default true
   */
  readonly noDelay?: boolean;
  /**
   * TLS for `amqps://` URLs: a private CA (`ca`), a client certificate (`cert`, `key`, `passphrase`), `servername`.
   * Files are read when the connection is created (`TLS_CONFIG` if one cannot be read).
   * @default Node's defaults: the broker's certificate is verified against Node's trusted roots
   */
  readonly tls?: TlsOptions;
}

/** The keys of `ConnectionOptions` (unknown keys are rejected with `INVALID_OPTION`). */
export const CONNECTION_OPTIONS = knownOptions<ConnectionOptions>({
  urls: true,
  name: true,
  heartbeatSeconds: true,
  reconnectSeconds: true,
  noDelay: true,
  tls: true,
});

/** The `connected` event of the publisher and the consumer: the node's URL, password masked. */
export interface ConnectedEvent {
  readonly url: string;
}

/**
 * The `connectFailed` event of the publisher and the consumer: a connect attempt failed (refused, unreachable, TLS,
 * login). Emitted for every attempt; a fatal failure is also the `failed` event. Password masked in both fields.
 */
export interface ConnectFailedEvent {
  readonly url: string;
  readonly reason: string;
}

/** amqp-connection-manager's `connectFailed` payload as a `ConnectFailedEvent` (password-free). */
export function connectFailedEvent(failure: { err?: unknown; url?: unknown }): ConnectFailedEvent {
  return { url: redactUrl(managerUrl(failure.url)), reason: describeError(failure.err) };
}

/** The `disconnected` event of the publisher and the consumer: why the connection went away (password masked). */
export interface DisconnectedEvent {
  readonly reason: string;
}

/** Classifies an error from amqplib's connect; returns a typed error when retrying cannot fix it. */
export function fatalConnectError(error: unknown, url: string): ConnectionConfigError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const where = redactUrl(url);
  const tls = fatalTlsError(error, where);
  if (tls) return tls;
  if (/ACCESS[-_]REFUSED|\b403\b/.test(message)) {
    return new ConnectionConfigError(
      'ACCESS_REFUSED',
      `RabbitMQ refused the login at ${where} (403 ACCESS_REFUSED): check the user name and password in the URL.`,
      { cause: error, replyCode: 403 },
    );
  }
  if (/Expected ConnectionOpenOk; got <ConnectionClose|NOT_ALLOWED|\b530\b/.test(message)) {
    return new ConnectionConfigError(
      'VHOST_NOT_FOUND',
      `RabbitMQ refused to open the vhost of ${where} (530 NOT_ALLOWED): the vhost does not exist or the user has ` +
        `no permission on it. Create it (rabbitmqctl add_vhost) or fix the path of the URL.`,
      { cause: error, replyCode: 530 },
    );
  }
  return undefined;
}

/** How long one connect attempt (TCP, TLS and the AMQP handshake) may take before it is abandoned and retried. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens a reconnecting connection with Warren's defaults (heartbeat 5 s, TCP_NODELAY, publishes encoded in one
 * buffer each, a connection name).
 * When a connect attempt fails for a reason retrying cannot fix, the manager is closed and `onFatal` is called
 * once with a typed, password-free error.
 */
export function openConnection(
  options: ConnectionOptions,
  onFatal: (error: ConnectionConfigError) => void,
): AmqpConnectionManager {
  const urls = splitUrls(options.urls);
  if (urls.length === 0) {
    throw new ConnectionConfigError('INVALID_URL', 'No AMQP URL given: pass `urls` or set AMQP_URL.');
  }
  const heartbeat = options.heartbeatSeconds ?? 5;
  const tls = tlsSocketOptions(options.tls);
  const manager = connect(urls, {
    heartbeatIntervalInSeconds: heartbeat,
    reconnectTimeInSeconds: options.reconnectSeconds ?? 1,
    connectionOptions: {
      noDelay: options.noDelay ?? true,
      // A connect attempt into a dead network path would otherwise wait for ever (and close() with it).
      timeout: CONNECT_TIMEOUT_MS,
      ...tls,
      ...(options.name === undefined ? {} : { clientProperties: { connection_name: options.name } }),
    },
  });
  manager.on('connect', ({ connection }) => encodePublishes(connection));
  let failed = false;
  manager.on('connectFailed', ({ err, url }) => {
    const fatal = fatalConnectError(err, managerUrl(url));
    if (!fatal || failed) return;
    failed = true;
    void manager.close().catch(() => undefined);
    onFatal(fatal);
  });
  return manager;
}

/**
 * The URL amqp-connection-manager reports with `connect` and `connectFailed`: a string, or an object with a
 * `hostname` (as given in its URL list). Not masked: pass it through `redactUrl` before it leaves the process.
 */
export function managerUrl(url: unknown): string {
  return typeof url === 'string' ? url : String((url as { hostname?: unknown } | undefined)?.hostname ?? '');
}

/** The message of any error, with passwords in URLs masked. */
export function describeError(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}
