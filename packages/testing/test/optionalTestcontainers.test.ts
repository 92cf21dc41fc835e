import { startBroker, startPrivateBroker, TestBrokerError } from '../src';

// A user with a broker of their own does not install testcontainers: as if it were not in node_modules.
jest.mock('testcontainers', () => {
  throw Object.assign(new Error("Cannot find module 'testcontainers' from 'container.ts'"), {
    code: 'MODULE_NOT_FOUND',
  });
});

describe('@warren/testing without testcontainers', () => {
  it('loads, and uses AMQP_URL without touching testcontainers', async () => {
    const broker = await startBroker({
      env: { AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672' },
      probes: { answers: async () => true },
    });
    expect(broker.source).toBe('env');
  });

  it('says what to install when a container is needed', async () => {
    const error = await startBroker({ mode: 'container', env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestBrokerError);
    expect(error).toMatchObject({
      code: 'NO_TEST_BROKER',
      message: expect.stringContaining('npm i -D testcontainers'),
    });
  });

  it('says so for a private broker too', async () => {
    await expect(startPrivateBroker({ mode: 'container' })).rejects.toMatchObject({
      code: 'NO_TEST_BROKER',
      message: expect.stringContaining('npm i -D testcontainers'),
    });
  });
});
