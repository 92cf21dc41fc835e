import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files made by `createTestCertificates`, all in `dir`. */
export interface TestCertificates {
  readonly dir: string;
  /** The private CA that signed the server and client certificates. */
  readonly caFile: string;
  /** The broker's certificate (CN `localhost`, SAN `DNS:localhost`, `IP:127.0.0.1`) and key. */
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  /** A client certificate (CN `warren-client`) signed by the CA, and its key. */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** A CA that signed nothing here: trusting only it, a client must refuse the broker. */
  readonly otherCaFile: string;
  /** Removes `dir`. */
  remove(): Promise<void>;
}

/**
 * Makes a private CA, a server and a client certificate with `openssl` (which must be installed) in a new temporary
 * directory: for tests of TLS listeners on a private broker. Valid for one day.
 */
export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'warren-tls-'));
  const file = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): Promise<void> => run('openssl', args);
  const ca = async (name: string): Promise<void> =>
    openssl(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.pem`),
    );
  const signed = async (name: string, cn: string, extensions: string): Promise<void> => {
    await openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
    );
    await writeFile(file(`${name}.ext`), extensions);
    await openssl(
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('warren-test-ca.pem'),
      '-CAkey',
      file('warren-test-ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file(`${name}.ext`),
      '-out',
      file(`${name}.pem`),
    );
  };
  await ca('warren-test-ca');
  await ca('warren-other-ca');
  await signed('server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  await signed('client', 'warren-client', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    caFile: file('warren-test-ca.pem'),
    serverCertFile: file('server.pem'),
    serverKeyFile: file('server.key'),
    clientCertFile: file('client.pem'),
    clientKeyFile: file('client.key'),
    otherCaFile: file('warren-other-ca.pem'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}
