import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCertificates, startPrivateBroker, type PrivateBroker, type TestCertificates } from '@warren/testing';
import { run } from '../run';

// A TLS listener that requires a client certificate, on a private node with a private CA made by openssl.
let broker: PrivateBroker;
let certs: TestCertificates;
const dir = mkdtempSync(join(tmpdir(), 'warren-cli-tls-'));

beforeAll(async () => {
  certs = await createTestCertificates();
  broker = await startPrivateBroker({
    tls: {
      caFile: certs.caFile,
      certFile: certs.serverCertFile,
      keyFile: certs.serverKeyFile,
      requireClientCertificate: true,
    },
  });
}, 180_000);
afterAll(async () => {
  await broker?.stop();
  await certs?.remove();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

let files = 0;
/** A topology file with a queue of its own: `apply` opens AMQP only when there is something to change. */
function topologyFile(): string {
  const path = join(dir, `topology-${++files}.json`);
  const queue = `tls.orders.${files}`;
  writeFileSync(path, JSON.stringify({ queues: { [queue]: { retry: { delays: ['1s'] }, deadLetter: true } } }));
  return path;
}

describe('warren over amqps:// (--ca, --cert, --key)', () => {
  it('applies a topology with a private CA and a client certificate', async () => {
    const { code, stderr } = await run([
      'apply',
      topologyFile(),
      '--url',
      broker.amqpsUrl!,
      '--management-url',
      broker.managementUrl,
      '--ca',
      certs.caFile,
      '--cert',
      certs.clientCertFile,
      '--key',
      certs.clientKeyFile,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('fails at once with TLS_CONFIG naming --ca when the broker is not trusted', async () => {
    const { code, stderr } = await run([
      'apply',
      topologyFile(),
      '--url',
      broker.amqpsUrl!,
      '--management-url',
      broker.managementUrl,
      '--cert',
      certs.clientCertFile,
      '--key',
      certs.clientKeyFile,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--ca/);
    expect(stderr).toMatch(/code TLS_CONFIG/);
    expect(stderr).not.toContain('guest:guest');
  });

  it('fails with TLS_CONFIG naming the file when a certificate file cannot be read', async () => {
    const { code, stderr } = await run([
      'apply',
      topologyFile(),
      '--url',
      broker.amqpsUrl!,
      '--management-url',
      broker.managementUrl,
      '--ca',
      join(dir, 'missing.pem'),
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/missing\.pem.*ENOENT/);
  });
});
