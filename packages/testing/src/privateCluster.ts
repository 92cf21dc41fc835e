import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describeError } from '@warren/core';
import { TestBrokerError } from './BrokerError';
import { freePortPair } from './container';
import { waitFor } from './waitFor';

/** One node of a `PrivateCluster`: its URLs, and the faults only a node of your own may take. */
export interface PrivateNode {
  /** The Erlang node name, `warren-<random>-<n>@<host>`. */
  readonly name: string;
  readonly amqpUrl: string;
  /** The management API, with the credentials in the URL. */
  readonly managementUrl: string;
  /** Runs `rabbitmqctl -n <this node> <args>` and returns what it printed. */
  rabbitmqctl(args: readonly string[]): Promise<string>;
  /** `kill -9` of the node's Erlang VM: a crash, no clean shutdown. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts the node again (same ports, same data) after `kill()`; resolves once it is up. */
  restart(): Promise<void>;
}

/** Several local RabbitMQ nodes clustered together (or one, for a node you may kill and restart). */
export interface PrivateCluster {
  readonly nodes: readonly PrivateNode[];
  /** Every node's AMQP URL, comma-separated, in node order: Warren's `urls` option takes it as is. */
  readonly urls: string;
  /** Stops every node (kill -9: the data goes anyway) and removes their data. Idempotent. */
  stop(): Promise<void>;
}

/** How `startPrivateCluster` starts its nodes. */
export interface PrivateClusterOptions {
  /**
   * How many nodes: 1 for a single node you may `kill()` and `restart()`, 3 for quorum-queue fail-over.
   * @default 3
   */
  readonly size?: number;
}

const SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const RABBITMQ_HOME = '/var/lib/rabbitmq';
const START_TIMEOUT_MS = 90_000;

/**
 * Starts `size` nodes of the installed RabbitMQ on this machine, each with its own ports and data dir, and joins them
 * into one cluster (about 10 s per node on two cores). Needs the `rabbitmq-server` package and root, like
 * `startPrivateBroker`'s local node; there is no container fallback. Call `stop()` when done.
 * @example
 * const cluster = await startPrivateCluster({ size: 3 });
 * const publisher = createPublisher({ urls: cluster.urls });
 * await cluster.nodes[0]!.kill(); // clients fail over to the other nodes
 */
export async function startPrivateCluster(options: PrivateClusterOptions = {}): Promise<PrivateCluster> {
  const size = options.size ?? 3;
  if (!(process.getuid?.() === 0 && existsSync(SERVER) && existsSync(RABBITMQ_HOME))) {
    throw new TestBrokerError(
      'NO_TEST_BROKER',
      `A private RabbitMQ cluster needs ${SERVER} (the rabbitmq-server package) and root; ` +
        'install the package and run the tests as root.',
    );
  }
  const id = Math.random().toString(36).slice(2, 8);
  const nodes: LocalNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };
  try {
    for (let n = 1; n <= size; n++) nodes.push(await LocalNode.prepare(`warren-${id}-${n}`));
    await Promise.all(nodes.map((node) => node.start()));
    for (const node of nodes.slice(1)) await node.join(nodes[0]!);
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, urls: nodes.map((node) => node.amqpUrl).join(','), stop };
}

/** A local node started as the `rabbitmq` user (so rabbitmqctl, run by root, shares its Erlang cookie). */
class LocalNode implements PrivateNode {
  private server: ChildProcess | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly name: string,
    private readonly dir: string,
    private readonly amqpPort: number,
    private readonly environment: Readonly<Record<string, string | number>>,
  ) {}

  static async prepare(prefix: string): Promise<LocalNode> {
    const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
    const amqpPort = await freePortPair();
    const distPort = await freePortPair();
    const name = `${prefix}@${hostname().split('.')[0]}`;
    await writeFile(
      join(dir, 'rabbitmq.conf'),
      `listeners.tcp.default = ${amqpPort}\nmanagement.tcp.port = ${amqpPort + 10_000}\n`,
    );
    await writeFile(join(dir, 'enabled_plugins'), '[rabbitmq_management].\n');
    await run('chown', ['-R', 'rabbitmq:rabbitmq', dir]);
    return new LocalNode(name, dir, amqpPort, {
      RABBITMQ_NODENAME: name,
      RABBITMQ_NODE_PORT: amqpPort,
      RABBITMQ_DIST_PORT: distPort,
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_PID_FILE: join(dir, 'pid'),
    });
  }

  get amqpUrl(): string {
    return `amqp://guest:guest@127.0.0.1:${this.amqpPort}`;
  }

  get managementUrl(): string {
    return `http://guest:guest@127.0.0.1:${this.amqpPort + 10_000}`;
  }

  rabbitmqctl(args: readonly string[]): Promise<string> {
    return run('rabbitmqctl', ['-q', '-n', this.name, ...args]);
  }

  async start(): Promise<void> {
    const exports = Object.entries(this.environment)
      .map(([key, value]) => `export ${key}='${value}';`)
      .join(' ');
    const out = openSync(this.logFile, 'a');
    this.server = spawn('su', ['rabbitmq', '-s', '/bin/sh', '-c', `${exports} cd ${RABBITMQ_HOME} && exec ${SERVER}`], {
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    const server = this.server;
    const outcome = await waitFor(
      `RabbitMQ node ${this.name} to start`,
      START_TIMEOUT_MS,
      async () => {
        if (server.exitCode !== null) return 'exited';
        // A TCP probe until the AMQP listener is up (a rabbitmqctl call costs a second of CPU), then one check.
        if (!(await portOpen(this.amqpPort))) return undefined;
        await this.rabbitmqctl(['await_startup', '--timeout', '30']);
        return 'started';
      },
      500,
    ).catch((cause: unknown) => {
      throw new TestBrokerError('TEST_NODE_FAILED', `${describeError(cause)} ${this.tail()}`, { cause });
    });
    if (outcome === 'exited') {
      throw new TestBrokerError('TEST_NODE_FAILED', `RabbitMQ node ${this.name} exited: ${this.tail()}`);
    }
  }

  /** Joins `first`'s cluster: stop_app, join_cluster, start_app. */
  async join(first: LocalNode): Promise<void> {
    await this.rabbitmqctl(['stop_app']);
    await this.rabbitmqctl(['join_cluster', first.name]);
    await this.rabbitmqctl(['start_app']);
    await this.rabbitmqctl(['await_startup', '--timeout', '60']);
  }

  async kill(): Promise<void> {
    const pid = Number((await readFile(join(this.dir, 'pid'), 'utf8')).trim());
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      return; // already gone
    }
    await waitFor(`node ${this.name} (pid ${pid}) to die`, 10_000, async () => (alive(pid) ? undefined : true), 50);
  }

  restart(): Promise<void> {
    return this.start();
  }

  stop(): Promise<void> {
    // Its data is thrown away: a kill -9 is as good as a clean stop, and seconds faster.
    this.stopping ??= (async () => {
      await this.kill().catch(() => undefined);
      if (this.server && this.server.exitCode === null) this.server.kill('SIGKILL');
      await rm(this.dir, { recursive: true, force: true });
    })();
    return this.stopping;
  }

  private get logFile(): string {
    return join(this.dir, 'stdout.log');
  }

  private tail(): string {
    try {
      return readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-5).join(' | ');
    } catch {
      return '(no output)';
    }
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 90_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}
