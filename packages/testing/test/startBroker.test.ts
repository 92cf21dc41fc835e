import { startBroker, TestBrokerError, type TestBroker } from '../src';
import type { BrokerProbes } from '../src/startBroker';

const containerBroker: TestBroker = {
  amqpUrl: 'amqp://guest:guest@127.0.0.1:32768',
  managementUrl: 'http://guest:guest@127.0.0.1:32769',
  source: 'container',
  stop: async () => undefined,
};

/** Probes that answer as told and record what was asked. */
function probes(answering: string[], docker: boolean) {
  const calls: string[] = [];
  const fake: BrokerProbes = {
    answers: async (url) => {
      calls.push(`answers ${url}`);
      return answering.includes(url);
    },
    dockerAvailable: async () => {
      calls.push('docker');
      return docker;
    },
    startContainer: async (image) => {
      calls.push(`start ${image}`);
      return { ...containerBroker, image };
    },
  };
  return { fake, calls };
}

const local = 'amqp://guest:guest@127.0.0.1:5672';

describe('startBroker resolution order', () => {
  it('uses AMQP_URL first, with the management URL at port + 10000', async () => {
    const { fake, calls } = probes(['amqp://u:p@rabbit:5680/v', local], true);
    const broker = await startBroker({ env: { AMQP_URL: 'amqp://u:p@rabbit:5680/v' }, probes: fake });
    expect(broker).toMatchObject({
      amqpUrl: 'amqp://u:p@rabbit:5680/v',
      managementUrl: 'http://u:p@rabbit:15680',
      source: 'env',
    });
    expect(calls).toEqual(['answers amqp://u:p@rabbit:5680/v']);
  });

  it('takes the first of several comma-separated AMQP_URLs and AMQP_MANAGEMENT_URL when set', async () => {
    const { fake } = probes(['amqp://a:5672'], false);
    const env = { AMQP_URL: 'amqp://a:5672, amqp://b:5672', AMQP_MANAGEMENT_URL: 'http://g:g@mgmt:8080' };
    const broker = await startBroker({ env, probes: fake });
    expect(broker).toMatchObject({ amqpUrl: 'amqp://a:5672', managementUrl: 'http://g:g@mgmt:8080' });
  });

  it('fails clearly, without the password, when AMQP_URL does not answer', async () => {
    const { fake } = probes([local], true);
    const error = await startBroker({ env: { AMQP_URL: 'amqp://u:secret@down:5672' }, probes: fake }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TestBrokerError);
    expect(error).toMatchObject({ code: 'NO_TEST_BROKER' });
    expect((error as Error).message).toContain('amqp://u:***@down:5672');
    expect((error as Error).message).not.toContain('secret');
  });

  it('uses the local broker when AMQP_URL is unset and 127.0.0.1:5672 answers', async () => {
    const { fake, calls } = probes([local], true);
    const broker = await startBroker({ env: {}, probes: fake });
    expect(broker).toMatchObject({ amqpUrl: local, managementUrl: 'http://guest:guest@127.0.0.1:15672' });
    expect(broker.source).toBe('local');
    expect(calls).toEqual([`answers ${local}`]);
  });

  it('starts a container with the default image when nothing answers and Docker is there', async () => {
    const { fake, calls } = probes([], true);
    const broker = await startBroker({ env: {}, probes: fake });
    expect(broker.source).toBe('container');
    expect(calls).toEqual([`answers ${local}`, 'docker', 'start rabbitmq:4-management']);
  });

  it('fails with one message saying how to provide a broker when there is neither', async () => {
    const { fake } = probes([], false);
    const error = (await startBroker({ env: {}, probes: fake }).catch((e: unknown) => e)) as TestBrokerError;
    expect(error.code).toBe('NO_TEST_BROKER');
    expect(error.message).toMatch(/AMQP_URL/);
    expect(error.message).toMatch(/docker compose -f docker\/compose.yml up -d/);
    expect(error.message).toMatch(/Docker engine/);
    expect(error.message).not.toContain('guest:guest');
  });

  it('WARREN_TEST_BROKER=container forces a container even when AMQP_URL and the local broker answer', async () => {
    const { fake, calls } = probes(['amqp://x:5672', local], true);
    const env = { WARREN_TEST_BROKER: 'container', AMQP_URL: 'amqp://x:5672', WARREN_RABBITMQ_IMAGE: 'my/rabbit:4' };
    const broker = await startBroker({ env, probes: fake });
    expect(broker.image).toBe('my/rabbit:4');
    expect(calls).toEqual(['docker', 'start my/rabbit:4']);
  });

  it('prefers the image option over WARREN_RABBITMQ_IMAGE', async () => {
    const { fake } = probes([], true);
    const env = { WARREN_TEST_BROKER: 'container', WARREN_RABBITMQ_IMAGE: 'env/image' };
    expect((await startBroker({ env, image: 'option/image', probes: fake })).image).toBe('option/image');
  });

  it('fails when the container is forced and there is no Docker engine', async () => {
    const { fake } = probes([local], false);
    const error = startBroker({ env: { WARREN_TEST_BROKER: 'container' }, probes: fake });
    await expect(error).rejects.toMatchObject({ code: 'NO_TEST_BROKER' });
  });

  it('wraps a container that fails to start in TEST_CONTAINER_FAILED', async () => {
    const { fake } = probes([], true);
    fake.startContainer = async () => {
      throw new Error('pull access denied for nope');
    };
    const error = startBroker({ env: { WARREN_RABBITMQ_IMAGE: 'nope' }, probes: fake });
    await expect(error).rejects.toMatchObject({ code: 'TEST_CONTAINER_FAILED' });
  });

  it('rejects an unknown WARREN_TEST_BROKER value', async () => {
    const { fake } = probes([local], true);
    await expect(startBroker({ env: { WARREN_TEST_BROKER: 'kubernetes' }, probes: fake })).rejects.toMatchObject({
      code: 'INVALID_TEST_BROKER',
    });
  });

  it('reads the broker the global setup resolved without probing anything', async () => {
    const { fake, calls } = probes([], false);
    const env = {
      WARREN_TEST_BROKER: 'container',
      WARREN_TEST_BROKER_RESOLVED: 'container',
      AMQP_URL: containerBroker.amqpUrl,
      AMQP_MANAGEMENT_URL: containerBroker.managementUrl,
    };
    const broker = await startBroker({ env, probes: fake });
    expect(broker).toMatchObject({ ...containerBroker, stop: expect.any(Function) });
    expect(calls).toEqual([]);
  });
});
