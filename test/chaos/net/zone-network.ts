// The proxies of a multi-zone cluster: one FaultProxy in front of every server other zones dial,
// listening on the server's own zone address; connections are sorted into links by the client's
// zone address. Applying a list of network faults sets every link's modes at once; healing
// clears them. Zone processes must be configured to dial `addressOf(server)` instead of the
// server itself for this to see their traffic.
import { FaultProxy } from './fault-proxy.ts';
import { linkModesFor, type NetworkFault } from './partition-plan.ts';

export interface ZoneAddress {
  zone: string;
  /** The loopback address the zone's processes bind (e.g. 127.0.0.11). */
  host: string;
}

export interface ProxiedServer {
  /** A name for reports and lookups, e.g. `zone-2/meta-raft`. */
  name: string;
  zone: string;
  host: string;
  port: number;
}

export class ZoneNetwork {
  private faults: NetworkFault[] = [];

  private constructor(
    private readonly zones: readonly string[],
    private readonly proxies: Map<string, { server: ProxiedServer; proxy: FaultProxy }>,
  ) {}

  static async start(zones: readonly ZoneAddress[], servers: readonly ProxiedServer[], seed = 1): Promise<ZoneNetwork> {
    const zoneOfHost = new Map(zones.map((z) => [z.host, z.zone]));
    const proxies = new Map<string, { server: ProxiedServer; proxy: FaultProxy }>();
    try {
      for (const [i, server] of servers.entries()) {
        if (proxies.has(server.name)) throw new Error(`two servers named ${server.name}`);
        const proxy = await FaultProxy.start({
          listenHost: server.host, target: { host: server.host, port: server.port },
          linkOf: (addr) => zoneOfHost.get(addr), seed: seed + i,
        });
        proxies.set(server.name, { server, proxy });
      }
    } catch (err) {
      await Promise.all([...proxies.values()].map((p) => p.proxy.stop()));
      throw err;
    }
    return new ZoneNetwork(zones.map((z) => z.zone), proxies);
  }

  /** `host:port` that clients in other zones should dial to reach `name`. */
  addressOf(name: string): string {
    return this.entry(name).proxy.address;
  }

  proxyOf(name: string): FaultProxy {
    return this.entry(name).proxy;
  }

  get activeFaults(): readonly NetworkFault[] {
    return this.faults;
  }

  /** Replaces the active faults: every link of every proxy gets the modes they imply. */
  apply(faults: readonly NetworkFault[]): void {
    this.faults = [...faults];
    for (const { server, proxy } of this.proxies.values()) {
      for (const client of this.zones) {
        if (client !== server.zone) proxy.setModes(linkModesFor(faults, client, server.zone), client);
      }
    }
  }

  heal(): void {
    this.apply([]);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((p) => p.proxy.stop()));
  }

  private entry(name: string): { server: ProxiedServer; proxy: FaultProxy } {
    const e = this.proxies.get(name);
    if (!e) throw new Error(`no proxied server ${name}`);
    return e;
  }
}
