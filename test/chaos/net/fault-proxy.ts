// A fault-injecting TCP proxy: listens on a loopback address and forwards every connection to
// one target, with a live-switchable mode per direction (pass, drop, delay, reset). Connections
// are sorted into links by the client's source address (zone processes bind their zone's
// address when they connect out), so one proxy in front of a server can cut zone 1 off from it
// while zone 2 still gets through. It works on any machine, as root or not.
//
// While a link's forward direction drops, a new connection is accepted but not carried to the
// target (no SYN would arrive through a real partition); it is connected once the link heals.
// Everything is closed by stop(), and every wait is bounded (the upstream connect).
import { connect, createServer, type Server, type Socket } from 'node:net';
import { SeededRandom } from '../../unit/raft/sim/seeded-random.ts';
import { checkLinkMode, type Direction, HEALTHY_LINK, type LinkMode, type LinkModes } from './link-mode.ts';
import { ProxyPipe } from './proxy-pipe.ts';

/** The link of clients no `linkOf` names (and of every client when there is no `linkOf`). */
export const ANY_LINK = '*';
/** Bytes one direction of one connection may hold before its sender is paused. */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** How long an upstream connect may take before the client is reset. */
export const UPSTREAM_CONNECT_TIMEOUT_MS = 5_000;

export interface FaultProxyOptions {
  /** Where to listen; port 0 (the default) picks a free one. */
  listenHost: string;
  listenPort?: number;
  target: { host: string; port: number };
  /** Source address for upstream connections (the client's zone address, to keep links apart downstream). */
  upstreamLocalAddress?: string;
  /** Names the link a client belongs to from its source address; undefined → ANY_LINK. */
  linkOf?: (remoteAddress: string) => string | undefined;
  /** Seeds the delay jitter. */
  seed?: number;
  maxBufferedBytes?: number;
}

export interface FaultProxyStats {
  accepted: number;
  open: number;
  resets: number;
  refusedUpstream: number;
  deliveredBytes: Record<Direction, number>;
  /** Bytes waiting in all queues now. */
  bufferedBytes: number;
}

export class FaultProxy {
  private readonly modes = new Map<string, LinkModes>();
  private readonly connections = new Set<ProxyConnection>();
  private readonly random: SeededRandom;
  private readonly counters = { accepted: 0, resets: 0, refusedUpstream: 0, forward: 0, backward: 0 };
  private stopped = false;

  private constructor(private readonly server: Server, readonly opts: FaultProxyOptions, readonly port: number) {
    this.random = new SeededRandom(opts.seed ?? 1);
  }

  static async start(opts: FaultProxyOptions): Promise<FaultProxy> {
    const server = createServer({ allowHalfOpen: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.listenPort ?? 0, opts.listenHost, () => resolve());
    });
    const proxy = new FaultProxy(server, opts, (server.address() as { port: number }).port);
    server.on('connection', (socket) => proxy.accept(socket));
    return proxy;
  }

  /** `host:port` clients should dial. */
  get address(): string {
    return `${this.opts.listenHost}:${this.port}`;
  }

  modesOf(link: string = ANY_LINK): LinkModes {
    return this.modes.get(link) ?? this.modes.get(ANY_LINK) ?? HEALTHY_LINK;
  }

  /** Sets one direction (or both) of a link; open connections switch at once. */
  setMode(direction: Direction | 'both', mode: LinkMode, link: string = ANY_LINK): void {
    checkLinkMode(mode);
    const now = this.modesOf(link);
    this.setModes({
      forward: direction === 'backward' ? now.forward : mode,
      backward: direction === 'forward' ? now.backward : mode,
    }, link);
  }

  setModes(modes: LinkModes, link: string = ANY_LINK): void {
    checkLinkMode(modes.forward);
    checkLinkMode(modes.backward);
    this.modes.set(link, modes);
    for (const c of this.connections) if (link === ANY_LINK || c.link === link) c.remode();
  }

  /** Every link back to pass. */
  heal(): void {
    this.modes.clear();
    for (const c of this.connections) c.remode();
  }

  /** Resets (RST) every open connection, or those of one link; returns how many. */
  resetConnections(link?: string): number {
    let n = 0;
    for (const c of [...this.connections]) {
      if (link === undefined || c.link === link) {
        c.reset();
        n++;
      }
    }
    return n;
  }

  get stats(): FaultProxyStats {
    let buffered = 0;
    for (const c of this.connections) buffered += c.bufferedBytes;
    return {
      accepted: this.counters.accepted, open: this.connections.size, resets: this.counters.resets,
      refusedUpstream: this.counters.refusedUpstream,
      deliveredBytes: { forward: this.counters.forward, backward: this.counters.backward }, bufferedBytes: buffered,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of [...this.connections]) c.destroy();
    await closed;
  }

  private accept(client: Socket): void {
    if (this.stopped) {
      client.destroy();
      return;
    }
    this.counters.accepted++;
    const link = this.opts.linkOf?.(client.remoteAddress ?? '') ?? ANY_LINK;
    const c = new ProxyConnection(this, client, link, {
      delayMs: (m) => m.ms + (m.jitterMs ? this.random.float() * m.jitterMs : 0),
      delivered: (dir, bytes) => { this.counters[dir] += bytes; },
      resetCounted: () => { this.counters.resets++; },
      refused: () => { this.counters.refusedUpstream++; },
      closed: () => { this.connections.delete(c); },
    });
    this.connections.add(c);
  }
}

interface ConnectionHooks {
  delayMs(mode: Extract<LinkMode, { kind: 'delay' }>): number;
  delivered(direction: Direction, bytes: number): void;
  resetCounted(): void;
  refused(): void;
  closed(): void;
}

/** One client connection and its upstream twin, joined by two pipes. */
class ProxyConnection {
  private upstream: Socket | null = null;
  private readonly forward: ProxyPipe;
  private backward: ProxyPipe | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private done = false;

  constructor(private readonly proxy: FaultProxy, private readonly client: Socket, readonly link: string, private readonly hooks: ConnectionHooks) {
    const max = proxy.opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.forward = new ProxyPipe(client, max, this.pipeHooks('forward'));
    client.setNoDelay(true);
    client.on('data', (d: Buffer) => this.forward.push(d));
    client.on('end', () => this.forward.end());
    client.on('error', () => this.finish((s) => s.resetAndDestroy()));
    client.on('close', () => this.closedOne());
    if (this.proxy.modesOf(link).forward.kind !== 'drop') this.connectUpstream();
  }

  get bufferedBytes(): number {
    return this.forward.bufferedBytes + (this.backward?.bufferedBytes ?? 0);
  }

  remode(): void {
    if (this.done) return;
    if (!this.upstream && this.proxy.modesOf(this.link).forward.kind !== 'drop') this.connectUpstream();
    this.forward.remode();
    this.backward?.remode();
  }

  reset(): void {
    if (this.done) return;
    this.hooks.resetCounted();
    this.finish((s) => s.resetAndDestroy());
  }

  destroy(): void {
    this.finish((s) => s.destroy());
  }

  private pipeHooks(direction: Direction) {
    return {
      mode: () => this.proxy.modesOf(this.link)[direction],
      delayMs: (m: Extract<LinkMode, { kind: 'delay' }>) => this.hooks.delayMs(m),
      reset: () => this.reset(),
      delivered: (bytes: number) => this.hooks.delivered(direction, bytes),
    };
  }

  private connectUpstream(): void {
    const { target, upstreamLocalAddress } = this.proxy.opts;
    const up = connect({ host: target.host, port: target.port, localAddress: upstreamLocalAddress, allowHalfOpen: true });
    this.upstream = up;
    up.setNoDelay(true);
    this.connectTimer = setTimeout(() => this.refuse(), UPSTREAM_CONNECT_TIMEOUT_MS);
    up.once('connect', () => {
      if (this.connectTimer) clearTimeout(this.connectTimer);
      this.connectTimer = null;
      const backward = new ProxyPipe(up, this.proxy.opts.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES, this.pipeHooks('backward'));
      this.backward = backward;
      backward.attachSink(this.client);
      up.on('data', (d: Buffer) => backward.push(d));
      up.on('end', () => backward.end());
      this.forward.attachSink(up);
    });
    // A refused or failed upstream looks to the client like the server's host answering RST.
    up.on('error', () => (this.backward ? this.finish((s) => s.resetAndDestroy()) : this.refuse()));
    up.on('close', () => this.closedOne());
  }

  private refuse(): void {
    if (this.done) return;
    this.hooks.refused();
    this.finish((s) => s.resetAndDestroy());
  }

  /** Both sockets closed (a normal end after both FINs): the connection is gone. */
  private closedOne(): void {
    if (this.client.destroyed && (!this.upstream || this.upstream.destroyed)) this.finish(() => undefined);
  }

  private finish(end: (s: Socket) => void): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    if (!this.done) {
      this.done = true;
      this.forward.close();
      this.backward?.close();
      this.hooks.closed();
    }
    for (const s of [this.client, this.upstream]) if (s && !s.destroyed) end(s);
  }
}
