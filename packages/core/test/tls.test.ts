import { fatalConnectError, tlsSocketOptions } from '../src';

function tlsError(code: string, message = 'tls failure'): Error {
  return Object.assign(new Error(message), { code });
}

describe('fatalConnectError on TLS failures', () => {
  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /not trusted.*--ca/],
    ['SELF_SIGNED_CERT_IN_CHAIN', /not trusted/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /not trusted/],
    ['CERT_HAS_EXPIRED', /expired/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', /servername/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', /amqp:\/\//],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', /--cert/],
  ])('%s is TLS_CONFIG, saying how to fix it', (code, hint) => {
    const error = fatalConnectError(tlsError(code), 'amqps://app:s3cret@rabbit:5671');
    expect(error).toMatchObject({ code: 'TLS_CONFIG' });
    expect(error!.message).toMatch(hint);
    expect(error!.message).not.toContain('s3cret');
  });

  it('leaves network errors to the retry loop', () => {
    expect(fatalConnectError(tlsError('ECONNREFUSED', 'connect ECONNREFUSED'), 'amqps://h')).toBeUndefined();
    expect(fatalConnectError(tlsError('ECONNRESET', 'read ECONNRESET'), 'amqps://h')).toBeUndefined();
  });
});

describe('tlsSocketOptions', () => {
  it('passes PEM text and buffers through, and never turns verification off', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n';
    const options = tlsSocketOptions({ ca: [pem, Buffer.from(pem)], servername: 'rabbit' });
    expect(options).toEqual({ ca: [pem, Buffer.from(pem)], servername: 'rabbit' });
    expect(options).not.toHaveProperty('rejectUnauthorized');
  });

  it('fails with TLS_CONFIG naming an unreadable file, and for a cert without a key', () => {
    expect(() => tlsSocketOptions({ ca: '/nonexistent/ca.pem' })).toThrow(/\/nonexistent\/ca\.pem.*ENOENT/);
    expect(() => tlsSocketOptions({ cert: '-----BEGIN x' })).toThrow(expect.objectContaining({ code: 'TLS_CONFIG' }));
  });
});
