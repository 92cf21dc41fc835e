import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync, closeSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError } from '@warren/core';
import { TestBrokerError } from './BrokerError';
import { DEFAULT_RABBITMQ_IMAGE, dockerAvailable, freePortPair, startRabbitContainer } from './container';
import type { TestBroker } from './TestBroker';
import { waitFor } from './waitFor';

/**
 * A broker that belongs to one test file, for faults that must never touch a shared broker: memory and disk alarms,
 * `close_all_connections`, a stop. `source` says what it is: a second RabbitMQ node started on this machine from
 * its installed `rabbitmq-server`, or a container.
 */
export interface PrivateBroker extends Omit<TestBroker, 'source'> {
  readonly source: 'local-node' | 'container';
  /** `amqps://guest:guest@localhost:<port>`: the TLS listener, when started with `tls`. */
  readonly amqpsUrl?: string;
  /** Runs `rabbitmqctl <args>` against this broker only and returns what it printed. */
  rabbitmqctl(args: readonly string[]): Promise<string>;
  /** Stops the whole broker (node or container) cleanly and starts it again on the same data and ports. */
  restart(): Promise<void>;
}

/** How `startPrivateBroker` starts its broker; the environment is always `process.env`. */
export interface PrivateBrokerOptions {
  /**
   * The image, when a container is started.
   * @default process.env.WARREN_RABBITMQ_IMAGE, else 'rabbitmq:4-management'
   */
  readonly image?: string;
  /**
   * `'auto'`: a node of the local RabbitMQ installation when there is one (`rabbitmq-server` installed and the
   * tests run as root), else a container. `'container'`: always a container.
   * @default process.env.WARREN_TEST_BROKER when set and not empty, else 'auto'
   */
  readonly mode?: 'auto' | 'container';
  /**
   * Adds a TLS listener (`amqpsUrl`) with these PEM files (copied into the node's directory). A local node only:
   * with a container, `startPrivateBroker` throws `TEST_NODE_FAILED`.
   * @default none: no TLS listener
   */
  readonly tls?: PrivateBrokerTls;
}

/** The TLS listener of a private broker: RabbitMQ's `ssl_options`. */
export interface PrivateBrokerTls {
  /** The CA that clients' certificates must chain to (`ssl_options.cacertfile`). Required. */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /**
   * `verify_peer` + `fail_if_no_peer_cert`: the broker refuses a client without a certificate signed by `caFile`.
   * @default false (`verify_none`)
   */
  readonly requireClientCertificate?: boolean;
}

// Debian's and Ubuntu's package layout; the wrapper in /usr/sbin runs the tools as the `rabbitmq` user when root
// calls them, so the new node shares that user's Erlang cookie with them.
const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const RABBITMQ_HOME = '/var/lib/rabbitmq';
const START_TIMEOUT_MS = 90_000;

/**
 * Starts a RabbitMQ of the test's own (about 5-10 s) and returns its URLs and a `rabbitmqctl` for it. Call
 * `stop()` when done: it stops the node or container and removes its data.
 * @example
 * const broker = await startPrivateBroker();
 * await broker.rabbitmqctl(['set_vm_memory_high_watermark', '0']); // a memory alarm on this broker only
 */
export async function startPrivateBroker(options: PrivateBrokerOptions = {}): Promise<PrivateBroker> {
  const mode = options.mode ?? (process.env.WARREN_TEST_BROKER || 'auto');
  const image = options.image ?? process.env.WARREN_RABBITMQ_IMAGE ?? DEFAULT_RABBITMQ_IMAGE;
  // A TLS listener needs certificates in the node's config: a local node even when the run asks for containers
  // (the TLS tests are about the client; they run against the installed RabbitMQ in every CI stage).
  if ((mode !== 'container' || options.tls) && localNodePossible()) return startLocalNode(options.tls);
  if (options.tls) {
    throw new TestBrokerError(
      'TEST_NODE_FAILED',
      'A TLS listener needs a local RabbitMQ node (root and rabbitmq-server).',
    );
  }
  if (await dockerAvailable()) return startContainer(image);
  throw new TestBrokerError(
    'NO_TEST_BROKER',
    `A private RabbitMQ is needed (for faults that must not touch a shared broker), but ` +
      (mode === 'container'
        ? 'WARREN_TEST_BROKER=container is set and '
        : `${SERVER} is not installed (or not root) and `) +
      'no Docker engine is reachable. Install the rabbitmq-server package and run the tests as root, or start a ' +
      'Docker engine so a RabbitMQ container can be started.',
  );
}

function localNodePossible(): boolean {
  return process.getuid?.() === 0 && existsSync(SERVER) && existsSync(RABBITMQ_HOME);
}

async function startContainer(image: string): Promise<PrivateBroker> {
  try {
    const broker = await startRabbitContainer(image);
    const rabbitmqctl = (args: readonly string[]) => broker.exec(['rabbitmqctl', ...args]);
    const restart = async () => {
      await broker.restart();
      await waitFor('the private RabbitMQ container to restart', START_TIMEOUT_MS, () =>
        broker.exec(['rabbitmq-diagnostics', '-q', 'check_port_connectivity']),
      );
    };
    return { ...broker, source: 'container', rabbitmqctl, restart };
  } catch (cause) {
    throw new TestBrokerError(
      'TEST_CONTAINER_FAILED',
      `Could not start a private RabbitMQ container from image '${image}': ${describeError(cause)}. ` +
        'Set WARREN_RABBITMQ_IMAGE to an image that exists here.',
      { cause },
    );
  }
}

async function startLocalNode(tls: PrivateBrokerTls | undefined): Promise<PrivateBroker> {
  const dir = await mkdtemp(join(tmpdir(), 'warren-node-'));
  const amqpPort = await freePortPair();
  const distPort = await freePortPair();
  const tlsPort = tls ? await freePortPair() : undefined;
  const node = `warren-${Math.random().toString(36).slice(2, 10)}@${hostname().split('.')[0]}`;
  await writeFile(
    join(dir, 'rabbitmq.conf'),
    `listeners.tcp.default = ${amqpPort}\nmanagement.tcp.port = ${amqpPort + 10_000}\n` +
      (tls && tlsPort ? await tlsConfig(tls, tlsPort, dir) : ''),
  );
  await writeFile(join(dir, 'enabled_plugins'), '[rabbitmq_management].\n');
  const environment = {
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_PORT: amqpPort,
    RABBITMQ_DIST_PORT: distPort,
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: join(dir, 'pid'),
  };
  const exports = Object.entries(environment)
    .map(([key, value]) => `export ${key}='${value}';`)
    .join(' ');
  await run('chown', ['-R', 'rabbitmq:rabbitmq', dir]);

  const logFile = join(dir, 'stdout.log');
  const spawnServer = (): ChildProcess => {
    const out = openSync(logFile, 'a');
    const child = spawn('su', ['rabbitmq', '-s', '/bin/sh', '-c', `${exports} cd ${RABBITMQ_HOME} && exec ${SERVER}`], {
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    return child;
  };
  let server = spawnServer();
  const rabbitmqctl = (args: readonly string[]) => run('rabbitmqctl', ['-q', '-n', node, ...args]);
  const stopNode = async () => {
    await rabbitmqctl(['stop']).catch(() => undefined);
    if (server.exitCode === null) server.kill('SIGKILL');
  };
  const stop = async () => {
    await stopNode();
    await rm(dir, { recursive: true, force: true });
  };
  const restart = async () => {
    const exited = new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve(null)));
    await rabbitmqctl(['stop']);
    await exited;
    server = spawnServer();
    await awaitStartup(server, rabbitmqctl, logFile);
  };
  try {
    await awaitStartup(server, rabbitmqctl, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    amqpUrl: `amqp://guest:guest@127.0.0.1:${amqpPort}`,
    ...(tlsPort ? { amqpsUrl: `amqps://guest:guest@localhost:${tlsPort}` } : {}),
    managementUrl: `http://guest:guest@127.0.0.1:${amqpPort + 10_000}`,
    source: 'local-node',
    rabbitmqctl,
    stop,
    restart,
  };
}

/** The `ssl_options` of a TLS listener; the files are copied next to the config, readable by the node's user. */
async function tlsConfig(tls: PrivateBrokerTls, port: number, dir: string): Promise<string> {
  const copy = async (from: string, name: string): Promise<string> => {
    await copyFile(from, join(dir, name));
    return join(dir, name);
  };
  const lines = [
    `listeners.ssl.default = ${port}`,
    `ssl_options.cacertfile = ${await copy(tls.caFile, 'tls-ca.pem')}`,
    `ssl_options.certfile = ${await copy(tls.certFile, 'tls-cert.pem')}`,
    `ssl_options.keyfile = ${await copy(tls.keyFile, 'tls-key.pem')}`,
    `ssl_options.verify = ${tls.requireClientCertificate ? 'verify_peer' : 'verify_none'}`,
    `ssl_options.fail_if_no_peer_cert = ${tls.requireClientCertificate ? 'true' : 'false'}`,
  ];
  return `${lines.join('\n')}\n`;
}

async function awaitStartup(
  server: ChildProcess,
  rabbitmqctl: (args: readonly string[]) => Promise<string>,
  logFile: string,
): Promise<void> {
  // `await_startup` needs a node that answers at all; until then it fails at once, so poll.
  const outcome = await waitFor(
    'the private RabbitMQ node to start',
    START_TIMEOUT_MS,
    async () => {
      if (server.exitCode !== null) return 'exited';
      await rabbitmqctl(['await_startup', '--timeout', '30']);
      return 'started';
    },
    500,
  ).catch((cause: unknown) => {
    throw new TestBrokerError('TEST_NODE_FAILED', `${describeError(cause)} ${tail(logFile)}`, { cause });
  });
  if (outcome === 'exited') {
    throw new TestBrokerError('TEST_NODE_FAILED', `The private RabbitMQ node exited: ${tail(logFile)}`);
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '(no output)';
  }
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}
