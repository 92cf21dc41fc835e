import { readFileSync } from 'node:fs';
import { ConnectionConfigError } from './connection-error';

/** A PEM file's path, its contents as text (starting with `-----BEGIN`), or its contents as a Buffer. */
export type PemSource = string | Buffer;

/**
 * TLS for `amqps://` URLs, on top of Node's defaults (which verify the broker's certificate against Node's trusted
 * roots and the URL's host name). There is deliberately no way to turn verification off.
 */
export interface TlsOptions {
  /**
   * The CA certificate(s) that signed the broker's certificate, for a private CA. Replaces Node's trusted roots for
   * this connection only (unlike the process-wide `NODE_EXTRA_CA_CERTS`).
   * @default Node's trusted root certificates
   */
  readonly ca?: PemSource | readonly PemSource[];
  /**
   * The client certificate (chain), for a broker that requires one (`ssl_options.fail_if_no_peer_cert`). Needs `key`.
   * @default none
   */
  readonly cert?: PemSource;
  /** The private key of `cert`. @default none */
  readonly key?: PemSource;
  /** The passphrase of an encrypted `key`. @default none */
  readonly passphrase?: string;
  /**
   * The host name the broker's certificate must name (SNI), when the URL's host is not it (an IP address, a tunnel).
   * @default the URL's host name (none for an IP address)
   */
  readonly servername?: string;
}

/** The socket options of `TlsOptions` for amqplib (`tls.connect`), files read now. Throws `TLS_CONFIG`. */
export function tlsSocketOptions(tls: TlsOptions | undefined): Record<string, unknown> {
  if (tls === undefined) return {};
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new ConnectionConfigError('TLS_CONFIG', 'TLS: `cert` and `key` (--cert, --key) go together: give both.');
  }
  const ca = tls.ca === undefined ? undefined : (Array.isArray(tls.ca) ? tls.ca : [tls.ca]).map((c) => pem('ca', c));
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(tls.cert === undefined ? {} : { cert: pem('cert', tls.cert) }),
    ...(tls.key === undefined ? {} : { key: pem('key', tls.key) }),
    ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
    ...(tls.servername === undefined ? {} : { servername: tls.servername }),
  };
}

function pem(option: string, source: PemSource): Buffer | string {
  if (Buffer.isBuffer(source) || source.includes('-----BEGIN')) return source;
  try {
    return readFileSync(source);
  } catch (cause) {
    throw new ConnectionConfigError(
      'TLS_CONFIG',
      `TLS: cannot read the ${option} file '${source}' (${(cause as NodeJS.ErrnoException).code ?? String(cause)}).`,
      { cause },
    );
  }
}
