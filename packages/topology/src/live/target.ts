import { ManagementClient } from './management';
import { ConnectionConfigError, managementUrlFor, splitUrls, vhostOf, withVhost } from '@warren/core';

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
}

/** A target with every default filled in. @internal */
export interface ResolvedTarget {
  readonly urls: string[];
  readonly vhost: string;
  readonly management: ManagementClient;
}

/** @internal */
export function resolveTarget(target: TopologyTarget): ResolvedTarget {
  const urls = splitUrls(target.amqpUrl);
  const first = urls[0];
  if (first === undefined)
    throw new ConnectionConfigError('INVALID_URL', 'No AMQP URL given: pass --url or set AMQP_URL.');
  const vhost = target.vhost ?? vhostOf(first);
  const managementUrls = target.managementUrl ? splitUrls(target.managementUrl) : urls.map(managementUrlFor);
  const management = new ManagementClient(managementUrls, vhost);
  return { urls: urls.map((url) => withVhost(url, vhost)), vhost, management };
}
