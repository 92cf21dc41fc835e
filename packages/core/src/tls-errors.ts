import { ConnectionConfigError } from './connection-error';

/** Node's codes for a broker certificate that does not verify against the trusted CAs. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED']);
/** The peer is not a TLS server: amqps:// to a plain AMQP port. */
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST']);
/** The broker's alerts about our (missing or untrusted) client certificate. */
const CLIENT_CERT =
  /^ERR_SSL_(TLSV13_ALERT_CERTIFICATE_REQUIRED|SSLV3_ALERT_BAD_CERTIFICATE|TLSV1_ALERT_UNKNOWN_CA|SSLV3_ALERT_CERTIFICATE_UNKNOWN|SSLV3_ALERT_HANDSHAKE_FAILURE|TLSV1_ALERT_ACCESS_DENIED)$/;

/**
 * A TLS failure retrying cannot fix, as a typed `TLS_CONFIG` error saying how to fix it; undefined for any other
 * error. `where` is the URL, password masked.
 */
export function fatalTlsError(error: unknown, where: string): ConnectionConfigError | undefined {
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  const hint = hintFor(code);
  if (hint === undefined) return undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectionConfigError('TLS_CONFIG', `TLS to ${where} failed (${code}: ${message}): ${hint}`, {
    cause: error,
  });
}

function hintFor(code: string): string | undefined {
  if (UNTRUSTED.has(code)) {
    return "the broker's certificate is not trusted: pass the CA that signed it (`tls.ca`, CLI --ca).";
  }
  if (EXPIRED.has(code)) return "the broker's certificate is expired, not yet valid or revoked: renew it.";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return "the broker's certificate does not name this host: use the host name in the certificate, or set `tls.servername`.";
  }
  if (NOT_TLS.has(code)) {
    return 'the port does not speak TLS: use amqp:// for a plain port, or the TLS port (5671) with amqps://.';
  }
  if (CLIENT_CERT.test(code)) {
    return (
      'the broker refused the client certificate, or requires one: pass `tls.cert` and `tls.key` (CLI --cert, ' +
      '--key) signed by a CA the broker trusts.'
    );
  }
  if (/^ERR_OSSL_|^ERR_SSL_/.test(code)) return 'check the certificate, key and passphrase given in `tls`.';
  return undefined;
}
