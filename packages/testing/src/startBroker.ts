import { createConnection } from 'node:net';
import { describeError, managementUrlFor, redactUrl, splitUrls } from '@warren/core';
import { TestBrokerError } from './BrokerError';
import { DEFAULT_RABBITMQ_IMAGE, dockerAvailable, startRabbitContainer } from './container';
import type { BrokerSource, TestBroker } from './TestBroker';

/** How a broker is looked for; replaceable in unit tests. @internal */
export interface BrokerProbes {
  answers(amqpUrl: string): Promise<boolean>;
  dockerAvailable(): Promise<boolean>;
  startContainer(image: string): Promise<TestBroker>;
}

/**
 * How `startBroker` (and `useBroker`) find a broker. Ignored once the jest global setup has resolved one
 * (`WARREN_TEST_BROKER_RESOLVED` and `AMQP_URL` set in `env`): that broker is used.
 */
export interface StartBrokerOptions {
  /**
   * The container image, when a container is started.
   * @default env.WARREN_RABBITMQ_IMAGE, else 'rabbitmq:4-management'
   */
  readonly image?: string;
  /**
   * `'auto'`: `AMQP_URL`, else the local default port, else a container. `'container'`: always a container. Any
   * other value (from `WARREN_TEST_BROKER`) throws `INVALID_TEST_BROKER`.
   * @default env.WARREN_TEST_BROKER when set and not empty, else 'auto'
   */
  readonly mode?: 'auto' | 'container';
  /** Where `AMQP_URL`, `AMQP_MANAGEMENT_URL` and the `WARREN_*` variables are read. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Replaces some of the probes (a fake broker or Docker in unit tests).
   * @default the real ones: a TCP connect, testcontainers' Docker check, a testcontainers RabbitMQ
   * @internal
   */
  readonly probes?: Partial<BrokerProbes>;
}

/** RabbitMQ's out-of-the-box address and login. */
export const LOCAL_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

/**
 * Set by the jest global setup once it has resolved a broker, so each test file reads `AMQP_URL` and
 * `AMQP_MANAGEMENT_URL` instead of resolving (or starting a container) again.
 */
export const RESOLVED_ENV = 'WARREN_TEST_BROKER_RESOLVED';

const defaultProbes: BrokerProbes = { answers, dockerAvailable, startContainer: startRabbitContainer };

/**
 * Finds a RabbitMQ for integration tests, in this order: `AMQP_URL` if set; else `amqp://guest:guest@127.0.0.1:5672`
 * if it answers; else a container started with testcontainers when a Docker engine is available; else it throws
 * `TestBrokerError` (`NO_TEST_BROKER`) saying how to provide one. It never skips. `WARREN_TEST_BROKER=container`
 * forces the container. The management URL is `AMQP_MANAGEMENT_URL`, else the AMQP host with port + 10000.
 * @example
 * const broker = await startBroker();
 * try { ... } finally { await broker.stop(); }
 */
export async function startBroker(options: StartBrokerOptions = {}): Promise<TestBroker> {
  const env = options.env ?? process.env;
  const probes = { ...defaultProbes, ...options.probes };
  const mode = options.mode ?? (env.WARREN_TEST_BROKER || 'auto');
  const image = options.image ?? env.WARREN_RABBITMQ_IMAGE ?? DEFAULT_RABBITMQ_IMAGE;
  const resolved = env[RESOLVED_ENV] as BrokerSource | undefined;
  if (resolved && env.AMQP_URL) return fromUrl(env.AMQP_URL, env, resolved);
  if (mode === 'container') return container(image, probes, 'WARREN_TEST_BROKER=container is set');
  if (mode !== 'auto') {
    throw new TestBrokerError(
      'INVALID_TEST_BROKER',
      `WARREN_TEST_BROKER='${mode}' is not understood: use 'container' to force a RabbitMQ container, or unset it.`,
    );
  }
  if (env.AMQP_URL) return fromEnv(env, probes);
  if (await probes.answers(LOCAL_AMQP_URL)) return fromUrl(LOCAL_AMQP_URL, env, 'local');
  if (await probes.dockerAvailable()) return launch(image, probes, 'nothing answers on 127.0.0.1:5672');
  throw new TestBrokerError('NO_TEST_BROKER', noBrokerMessage());
}

async function fromEnv(env: NodeJS.ProcessEnv, probes: BrokerProbes): Promise<TestBroker> {
  const url = splitUrls(env.AMQP_URL ?? '')[0] ?? '';
  if (await probes.answers(url)) return fromUrl(url, env, 'env');
  throw new TestBrokerError(
    'NO_TEST_BROKER',
    `AMQP_URL is set to ${redactUrl(url)} but nothing answers there. Start that broker, fix AMQP_URL, or unset it ` +
      `to use a local RabbitMQ on 127.0.0.1:5672 or a testcontainers one.`,
  );
}

function fromUrl(amqpUrl: string, env: NodeJS.ProcessEnv, source: BrokerSource): TestBroker {
  const url = splitUrls(amqpUrl)[0] ?? amqpUrl;
  const managementUrl = env.AMQP_MANAGEMENT_URL || managementUrlFor(url);
  return { amqpUrl: url, managementUrl, source, stop: async () => undefined };
}

async function container(image: string, probes: BrokerProbes, why: string): Promise<TestBroker> {
  if (!(await probes.dockerAvailable())) {
    throw new TestBrokerError('NO_TEST_BROKER', `${why}, but no Docker engine is reachable. ${howToProvide()}`);
  }
  return launch(image, probes, why);
}

async function launch(image: string, probes: BrokerProbes, why: string): Promise<TestBroker> {
  try {
    return await probes.startContainer(image);
  } catch (cause) {
    throw new TestBrokerError(
      'TEST_CONTAINER_FAILED',
      `Could not start a RabbitMQ container from image '${image}' (${why}): ${describeError(cause)}. ` +
        `Check that the image exists or can be pulled (set WARREN_RABBITMQ_IMAGE to another one); where the ` +
        `testcontainers reaper cannot be pulled set TESTCONTAINERS_RYUK_DISABLED=true, and where ports are published ` +
        `on loopback only set TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1.`,
      { cause },
    );
  }
}

function noBrokerMessage(): string {
  return (
    `No RabbitMQ for the integration tests: AMQP_URL is not set, nothing answers on ${redactUrl(LOCAL_AMQP_URL)}, ` +
    `and no Docker engine is reachable to start one. ${howToProvide()}`
  );
}

function howToProvide(): string {
  return (
    'Provide a broker in one of three ways: start RabbitMQ locally with the management plugin ' +
    '(`docker compose -f docker/compose.yml up -d`, or `rabbitmq-server -detached` then ' +
    '`rabbitmq-plugins enable rabbitmq_management`); or set AMQP_URL (and AMQP_MANAGEMENT_URL when the management ' +
    'API is not on the AMQP port + 10000); or start a Docker engine so the tests start a RabbitMQ container.'
  );
}

/** Whether something accepts TCP connections at the URL's host and port within a second. */
function answers(amqpUrl: string): Promise<boolean> {
  const url = new URL(amqpUrl);
  const port = Number(url.port || (url.protocol === 'amqps:' ? 5671 : 5672));
  return new Promise((resolve) => {
    const socket = createConnection({ host: url.hostname, port, timeout: 1_000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
