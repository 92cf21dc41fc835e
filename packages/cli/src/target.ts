import { Option, type Command } from 'commander';
import { splitUrls } from '@warren/core';
import { type TopologyTarget } from '@warren/topology';
import type { CliIo } from './io';

/** Used when neither `--url` nor `AMQP_URL` is given: a local broker with RabbitMQ's default guest user. */
export const DEFAULT_AMQP_URL = 'amqp://localhost:5672';

/** `--url`, `--management-url` and `--vhost`: where a command that talks to the broker acts (see `targetOf`). */
export interface ConnectionFlags {
  /**
   * `--url`: one AMQP URL, or several comma-separated for a cluster (tried in turn).
   * @default $AMQP_URL, else 'amqp://localhost:5672'
   */
  readonly url?: string;
  /**
   * `--management-url`: the management HTTP API; several comma-separated for a cluster (the first that answers).
   * @default each AMQP URL's host and credentials, its port + 10000 (5672 → 15672; amqps 5671 → https 15671)
   */
  readonly managementUrl?: string;
  /**
   * `--vhost`: the virtual host.
   * @default the AMQP URL's path, else the topology file's `vhost` (plan, apply), else '/'
   */
  readonly vhost?: string;
}

/** Adds `--url`, `--management-url` and `--vhost` to a command that talks to the broker. */
export function withConnectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--url <urls>',
        `AMQP URL; several comma-separated for a cluster (tried in turn) (default: $AMQP_URL, else ${DEFAULT_AMQP_URL})`,
      ),
    )
    .addOption(
      new Option(
        '--management-url <urls>',
        'management HTTP API URL; several comma-separated for a cluster (the first that answers is used) ' +
          "(default: each AMQP URL's host, port 15672 (amqps: 15671), same credentials)",
      ),
    )
    .addOption(
      new Option('--vhost <vhost>', "virtual host (default: the AMQP URL's path, else the file's `vhost`, else '/')"),
    );
}

/**
 * Flags and environment → where the library acts. `--url` wins over `AMQP_URL`; the vhost is `--vhost`, else the
 * URL's path, else the topology file's `vhost`, else `/`.
 */
export function targetOf(flags: ConnectionFlags, io: CliIo, fileVhost?: string): TopologyTarget {
  const urls = splitUrls(flags.url ?? io.env.AMQP_URL ?? DEFAULT_AMQP_URL);
  const vhost = flags.vhost ?? (urls[0] !== undefined && hasVhostPath(urls[0]) ? undefined : fileVhost);
  return {
    amqpUrl: urls.join(','),
    ...(flags.managementUrl === undefined ? {} : { managementUrl: flags.managementUrl }),
    ...(vhost === undefined ? {} : { vhost }),
  };
}

function hasVhostPath(url: string): boolean {
  try {
    return new URL(url).pathname.length > 1;
  } catch {
    return false; // the library reports a malformed URL with a clear error
  }
}
