import { InvalidArgumentError, Option, type Command } from 'commander';
import { splitUrls, type TlsOptions } from '@warren/core';
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
   * @default $AMQP_MANAGEMENT_URL, else each AMQP URL's host and credentials, its port + 10000 (5672 → 15672; amqps 5671 → https 15671)
   */
  readonly managementUrl?: string;
  /**
   * `--vhost`: the virtual host.
   * @default $AMQP_VHOST, else the AMQP URL's path, else the topology file's `vhost` (plan, apply), else '/'
   */
  readonly vhost?: string;
  /**
   * `--timeout`: seconds to wait for each management API answer before the next node is tried.
   * @default 10
   */
  readonly timeout?: number;
  /**
   * `--ca`: a PEM file of the CA that signed the broker's certificate (amqps:// with a private CA).
   * @default Node's trusted root certificates
   */
  readonly ca?: string;
  /**
   * `--cert` and `--key`: PEM files of a client certificate and its key, for a broker that requires one.
   * @default none
   */
  readonly cert?: string;
  /** `--key`: see `cert`. @default none */
  readonly key?: string;
}

/** Adds `--url`, `--management-url`, `--vhost`, `--timeout`, `--ca`, `--cert` and `--key` to a command that talks to the broker. */
export function withConnectionOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--url <urls>',
        `AMQP URL; several comma-separated for a cluster (tried in turn) (default: ${DEFAULT_AMQP_URL})`,
      ).env('AMQP_URL'),
    )
    .addOption(
      new Option(
        '--management-url <urls>',
        'management HTTP API URL; several comma-separated for a cluster (the first that answers is used) ' +
          "(default: each AMQP URL's host, its port + 10000 (5672 → 15672), same credentials)",
      ).env('AMQP_MANAGEMENT_URL'),
    )
    .addOption(
      new Option(
        '--vhost <vhost>',
        "virtual host (default: the AMQP URL's path, else the file's `vhost`, else '/')",
      ).env('AMQP_VHOST'),
    )
    .addOption(
      new Option('--timeout <seconds>', 'seconds to wait for each management API answer before trying the next node')
        .default(10)
        .argParser(positiveSeconds),
    )
    .addOption(new Option('--ca <file>', "amqps://: PEM file of the CA that signed the broker's certificate"))
    .addOption(new Option('--cert <file>', 'amqps://: PEM file of a client certificate (with --key)'))
    .addOption(new Option('--key <file>', "amqps://: PEM file of the client certificate's key (with --cert)"));
}

/**
 * Commander reads `Option.env` variables from `process.env`; the CLI's environment is `io.env` (the same object in
 * a real process, a test's own in-process). Before each action, values commander took from `process.env` are
 * replaced by `io.env`'s, so both agree.
 */
export function useIoEnvironment(program: Command, io: CliIo): void {
  if (io.env === process.env) return;
  program.hook('preAction', (_program, action) => {
    for (const option of action.options) {
      const key = option.attributeName();
      if (option.envVar === undefined || action.getOptionValueSource(key) !== 'env') continue;
      action.setOptionValueWithSource(key, io.env[option.envVar], 'env');
    }
  });
}

function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('expected a number of seconds > 0.');
  return seconds;
}

/**
 * Flags and environment → where the library acts. `--url` wins over `AMQP_URL` (and `--management-url` over
 * `AMQP_MANAGEMENT_URL`, `--vhost` over `AMQP_VHOST`); the vhost is `--vhost`, else the URL's path, else the
 * topology file's `vhost`, else `/`.
 */
export function targetOf(flags: ConnectionFlags, io: CliIo, fileVhost?: string): TopologyTarget {
  const urls = splitUrls(flags.url ?? io.env.AMQP_URL ?? DEFAULT_AMQP_URL);
  const managementUrl = flags.managementUrl ?? io.env.AMQP_MANAGEMENT_URL;
  const explicitVhost = flags.vhost ?? io.env.AMQP_VHOST;
  const vhost = explicitVhost ?? (urls[0] !== undefined && hasVhostPath(urls[0]) ? undefined : fileVhost);
  return {
    amqpUrl: urls.join(','),
    ...(managementUrl === undefined ? {} : { managementUrl }),
    ...(vhost === undefined ? {} : { vhost }),
    ...(flags.timeout === undefined ? {} : { managementTimeoutMs: flags.timeout * 1000 }),
    ...(tlsOf(flags) === undefined ? {} : { tls: tlsOf(flags) }),
  };
}

/** `--ca`, `--cert`, `--key` as the library's TLS options (file paths), or undefined when none is given. */
function tlsOf(flags: ConnectionFlags): TlsOptions | undefined {
  const { ca, cert, key } = flags;
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  };
}

function hasVhostPath(url: string): boolean {
  try {
    return new URL(url).pathname.length > 1;
  } catch {
    return false; // the library reports a malformed URL with a clear error
  }
}
