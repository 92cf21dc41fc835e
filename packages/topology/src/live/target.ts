import { ManagementClient } from './management';
import {
  ConnectionConfigError,
  managementUrlFor,
  redactText,
  redactUrl,
  splitUrls,
  tlsSocketOptions,
  vhostOf,
  withVhost,
  type TlsOptions,
} from '@warren/core';

/** Where plan/apply/export/delete act. */
export interface TopologyTarget {
  /** One AMQP URL, or several comma-separated (the nodes of a cluster, tried in turn). Required. */
  readonly amqpUrl: string;
  /**
   * The management API; several comma-separated for a cluster (the first that answers is used). A URL without
   * credentials logs in as `guest:guest`.
   * @default for each AMQP URL: its host and credentials, port + 10000 (`amqp` 5672 → `http` 15672, `amqps` 5671 →
   * `https` 15671)
   */
  readonly managementUrl?: string;
  /**
   * The vhost to act on; when given it also replaces the path of every AMQP URL.
   * @default the vhost in the first AMQP URL's path, `/` when it has none
   */
  readonly vhost?: string;
  /**
   * Milliseconds to wait for each management API answer before trying the next node.
   * @default 10000
   */
  readonly managementTimeoutMs?: number;
  /**
   * TLS for `amqps://` AMQP URLs: a private CA, a client certificate (see `ConnectionOptions.tls` in `@warren/core`).
   * @default Node's defaults (the broker's certificate verified against Node's trusted roots)
   */
  readonly tls?: TlsOptions;
}

/** A target with every default filled in. @internal */
export interface ResolvedTarget {
  readonly urls: string[];
  readonly vhost: string;
  readonly management: ManagementClient;
  readonly tls: TlsOptions | undefined;
}

/**
 * Fills in the defaults and checks every URL before anything is opened or changed: a URL that does not parse, or
 * has the wrong scheme (`http://` as the AMQP URL), is `INVALID_URL` naming the option. @internal
 */
export function resolveTarget(target: TopologyTarget): ResolvedTarget {
  const urls = splitUrls(target.amqpUrl);
  const first = urls[0];
  if (first === undefined)
    throw new ConnectionConfigError('INVALID_URL', 'No AMQP URL given: pass --url or set AMQP_URL.');
  for (const url of urls) checkUrl(url, AMQP);
  tlsSocketOptions(target.tls); // an unreadable certificate file fails before anything is changed
  const vhost = target.vhost ?? vhostOf(first);
  const managementUrls = target.managementUrl ? splitUrls(target.managementUrl) : urls.map(managementUrlFor);
  if (target.managementUrl) for (const url of managementUrls) checkUrl(url, MANAGEMENT);
  const timeout = target.managementTimeoutMs === undefined ? {} : { timeoutMs: target.managementTimeoutMs };
  const management = new ManagementClient(managementUrls, vhost, timeout);
  return { urls: urls.map((url) => withVhost(url, vhost)), vhost, management, tls: target.tls };
}

interface UrlKind {
  readonly option: string;
  readonly schemes: readonly string[];
  readonly example: string;
}
const AMQP: UrlKind = {
  option: '--url / AMQP_URL',
  schemes: ['amqp:', 'amqps:'],
  example: 'amqp://user:pass@host:5672',
};
const MANAGEMENT: UrlKind = {
  option: '--management-url / AMQP_MANAGEMENT_URL',
  schemes: ['http:', 'https:'],
  example: 'http://user:pass@host:15672',
};

function checkUrl(url: string, kind: UrlKind): void {
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch (cause) {
    throw new ConnectionConfigError(
      'INVALID_URL',
      `${kind.option}: '${redactText(url)}' is not a valid URL (expected e.g. ${kind.example}; percent-encode ` +
        `special characters in the user name and password).`,
      { cause },
    );
  }
  if (!kind.schemes.includes(scheme))
    throw new ConnectionConfigError(
      'INVALID_URL',
      `${kind.option}: '${redactUrl(url)}' has the scheme '${scheme}', expected ${kind.schemes.join(' or ')} ` +
        `(e.g. ${kind.example}).`,
    );
}
