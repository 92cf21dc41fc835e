import { readFile } from 'node:fs/promises';
import {
  createTestCertificates,
  startPrivateBroker,
  type BrokerHandle,
  type PrivateBroker,
  type TestCertificates,
} from '@warren/testing';
import type { Publisher } from '../../src';
import { openPublisher, watchForStrayErrors } from './helpers';

// A TLS listener that requires a client certificate (fail_if_no_peer_cert), on a private node: certificates made by
// openssl for this file only, a private CA no process-wide setting (NODE_EXTRA_CA_CERTS) knows.
let privateBroker: PrivateBroker;
let certs: TestCertificates;
const cleanups: (() => Promise<unknown>)[] = [];
const stray = watchForStrayErrors();
const broker = {
  get amqpUrl() {
    return privateBroker.amqpsUrl;
  },
  teardown: (cleanup: () => Promise<unknown>) => void cleanups.push(cleanup),
} as unknown as BrokerHandle;

beforeAll(async () => {
  certs = await createTestCertificates();
  privateBroker = await startPrivateBroker({
    tls: {
      caFile: certs.caFile,
      certFile: certs.serverCertFile,
      keyFile: certs.serverKeyFile,
      requireClientCertificate: true,
    },
  });
}, 180_000);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await privateBroker?.stop();
  await certs?.remove();
}, 60_000);

function failed(publisher: Publisher): Promise<unknown> {
  return new Promise((resolve) => publisher.once('failed', resolve));
}

describe('publisher over TLS (private CA, client certificate required)', () => {
  it('verifies the broker with a private CA and authenticates with a client certificate (files)', async () => {
    const publisher = openPublisher(broker, stray, {
      mandatory: false,
      tls: { ca: certs.caFile, cert: certs.clientCertFile, key: certs.clientKeyFile },
    });
    await expect(publisher.publishRaw('amq.direct', 'k', { tls: true })).resolves.toBeDefined();
    expect(publisher.state).toBe('connected');
  });

  it('takes the PEM contents as buffers too, and a servername for a URL by IP address', async () => {
    const url = new URL(privateBroker.amqpsUrl!);
    url.hostname = '127.0.0.1';
    const publisher = openPublisher(broker, stray, {
      urls: url.toString(),
      mandatory: false,
      tls: {
        ca: await readFile(certs.caFile),
        cert: await readFile(certs.clientCertFile),
        key: await readFile(certs.clientKeyFile),
        servername: 'localhost',
      },
    });
    await expect(publisher.publishRaw('amq.direct', 'k', { tls: true })).resolves.toBeDefined();
  });

  it('refuses an untrusted broker at once: TLS_CONFIG, state failed, nothing "may still arrive"', async () => {
    const publisher = openPublisher(broker, stray, {
      tls: { ca: certs.otherCaFile, cert: certs.clientCertFile, key: certs.clientKeyFile },
    });
    const fatal = failed(publisher);
    const attempts: { url: string; reason: string }[] = [];
    publisher.on('connectFailed', (event) => attempts.push(event));
    const error = await publisher.publishRaw('amq.direct', 'k', {}, { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TLS_CONFIG' });
    expect((error as Error).message).toMatch(/not trusted/);
    expect((error as Error).message).not.toMatch(/may still arrive|guest:guest/);
    expect(await fatal).toBe(error);
    expect(publisher.state).toBe('failed');
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.url).toMatch(/^amqps:\/\/guest:\*\*\*@localhost:\d+/);
    expect(publisher.lastConnectError).toMatch(/certificate/);
  });

  it('fails with TLS_CONFIG when the broker requires a client certificate and none is given', async () => {
    const publisher = openPublisher(broker, stray, { tls: { ca: certs.caFile } });
    const error = await publisher.publishRaw('amq.direct', 'k', {}, { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TLS_CONFIG' });
    expect((error as Error).message).toMatch(/client certificate/);
  });

  it('fails with TLS_CONFIG for amqps:// to a port without TLS (wrong version number)', async () => {
    const url = new URL(privateBroker.amqpUrl);
    url.protocol = 'amqps:';
    const publisher = openPublisher(broker, stray, { urls: url.toString(), tls: { ca: certs.caFile } });
    const error = await publisher.publishRaw('amq.direct', 'k', {}, { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TLS_CONFIG' });
    expect((error as Error).message).toMatch(/amqp:\/\//);
  });
});
