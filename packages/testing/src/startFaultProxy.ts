import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface FaultProxyOptions {
  /** The AMQP URL of the broker to forward to; the proxy's `url` keeps its credentials and vhost. Required. */
  readonly target: string;
  /** The port to listen on, on 127.0.0.1. @default 0 (any free port; read it from `FaultProxy.port`) */
  readonly port?: number;
}

/**
 * A TCP proxy between a client and the broker that injects network faults. Faults apply to both directions.
 * @example
 * const proxy = await startFaultProxy({ target: broker.amqpUrl });
 * const connection = await connect(proxy.url);
 * proxy.cut(); // the client sees ECONNRESET at once
 */
export interface FaultProxy {
  /** The target URL with host and port replaced by the proxy's. */
  readonly url: string;
  readonly port: number;
  /** Client connections currently open through the proxy. */
  readonly connections: number;
  /** Resets (TCP RST) every open connection, both sides. New connections still pass. */
  cut(): void;
  /**
   * Drops every byte both ways while keeping sockets open, as a dead network path does: only heartbeats can tell.
   * New connections are accepted and black-holed too.
   */
  blackhole(): void;
  /** Resets new connections as soon as they arrive; open ones are untouched (combine with `cut()` for "down"). */
  refuse(): void;
  /** Delays every chunk by `ms`, keeping order. `latency(0)` removes it. */
  latency(ms: number): void;
  /**
   * Back to a clean pass-through. Connections that lost bytes while black-holed are reset: their AMQP stream
   * cannot recover, exactly as after a real partition.
   */
  heal(): void;
  /** Closes the listener and every connection. Idempotent. */
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  /** Black-holed since `blackhole()` (or since it arrived during one). */
  blackholed: boolean;
  /** Bytes were dropped: the stream is corrupt and must be reset on `heal()`. */
  dropped: boolean;
  timers: Set<NodeJS.Timeout>;
}

/** Starts a fault-injection proxy on 127.0.0.1 in front of `target`. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const proxy = new TcpFaultProxy(options.target);
  await proxy.listen(options.port ?? 0);
  return proxy;
}

class TcpFaultProxy implements FaultProxy {
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  private readonly targetHost: string;
  private readonly targetPort: number;
  private blackholing = false;
  private refusing = false;
  private latencyMs = 0;
  private closing: Promise<void> | undefined;
  port = 0;

  constructor(private readonly target: string) {
    const url = new URL(target);
    this.targetHost = url.hostname;
    this.targetPort = Number(url.port || (url.protocol === 'amqps:' ? 5671 : 5672));
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  get url(): string {
    const url = new URL(this.target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  cut(): void {
    for (const pair of this.pairs) this.drop(pair, true);
  }

  blackhole(): void {
    this.blackholing = true;
    for (const pair of this.pairs) pair.blackholed = true;
  }

  refuse(): void {
    this.refusing = true;
  }

  latency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  heal(): void {
    this.blackholing = false;
    this.refusing = false;
    this.latencyMs = 0;
    for (const pair of this.pairs) {
      if (pair.dropped || !pair.upstream || pair.upstream.destroyed) this.drop(pair, true);
      else pair.blackholed = false;
    }
  }

  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const pair of this.pairs) this.drop(pair, false);
    });
    return this.closing;
  }

  private accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.refusing || this.closing) return void reset(client);
    client.setNoDelay(true);
    const pair: Pair = { client, upstream: undefined, blackholed: this.blackholing, dropped: false, timers: new Set() };
    this.pairs.add(pair);
    client.once('close', () => this.drop(pair, false));
    // A connection arriving during a black hole never reaches the broker, like a SYN into a dead path.
    if (!pair.blackholed) this.connectUpstream(pair);
    this.relay(pair, client, () => pair.upstream);
  }

  private connectUpstream(pair: Pair): void {
    const upstream = createConnection({ host: this.targetHost, port: this.targetPort, noDelay: true });
    pair.upstream = upstream;
    upstream.on('error', () => undefined);
    // Through a black hole the client must not learn that the broker gave up: only its own heartbeat can tell.
    upstream.once('close', (hadError) => (pair.blackholed ? undefined : this.drop(pair, hadError)));
    this.relay(pair, upstream, () => pair.client);
  }

  /** Forwards `from`'s bytes to `to()`, unless black-holed; in order, delayed when latency is set. */
  private relay(pair: Pair, from: Socket, to: () => Socket | undefined): void {
    let lastDue = 0;
    from.on('data', (chunk: Buffer) => {
      if (pair.blackholed) {
        pair.dropped = true;
        return;
      }
      const due = Math.max(Date.now() + this.latencyMs, lastDue);
      lastDue = due;
      if (due <= Date.now() && pair.timers.size === 0) return forward(from, to(), chunk);
      const timer = setTimeout(() => {
        pair.timers.delete(timer);
        forward(from, to(), chunk, false);
      }, due - Date.now());
      pair.timers.add(timer);
    });
  }

  /** Closes both sides of a pair, with a reset when `hard` (what the peer sees after a crash or a cut). */
  private drop(pair: Pair, hard: boolean): void {
    if (!this.pairs.delete(pair)) return;
    for (const timer of pair.timers) clearTimeout(timer);
    for (const socket of [pair.client, pair.upstream]) {
      if (!socket || socket.destroyed) continue;
      if (hard) reset(socket);
      else socket.destroy();
    }
  }
}

/** Writes with back pressure: a full socket pauses its source until it drains. */
function forward(from: Socket, to: Socket | undefined, chunk: Buffer, pause = true): void {
  if (!to || to.destroyed) return;
  if (!to.write(chunk) && pause) {
    from.pause();
    to.once('drain', () => from.resume());
  }
}

/** RST, not FIN: the peer sees ECONNRESET. Falls back to destroy() on a socket that cannot be reset. */
function reset(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
