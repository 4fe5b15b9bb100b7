// Carries out nemesis faults on a chaos cluster's real processes, files and network, and undoes
// them: the runner's FaultExecutor. It remembers what is broken (killed and paused zones,
// stopped nodes, active network faults, full disks), so `healAll` can put everything back
// whatever happened in between.
//
//   zone-kill   SIGKILL the zone process            heal: start it again on the same spec
//   zone-pause  SIGSTOP                              heal: SIGCONT
//   node-kill   `node-stop` on the control channel  heal: `node-start`
//   disk-loss   node-stop, empty its dir, node-start heal: nothing (repair's job)
//   bitrot      flip data bytes in stored chunks     heal: nothing (scrub/repair's job)
//   disk-full   fill the node's tmpfs to ENOSPC      heal: delete the fill file
//   network     proxies (and nft rules) per fault    heal: that fault removed
import type { LocalZoneCluster } from '../../../services/cli/zone/local-zone-cluster.ts';
import { describeFault, META_LEADER_ZONE, type NemesisFault, type ZoneTarget } from '../nemesis/nemesis-fault.ts';
import type { NetworkFault } from '../net/partition-plan.ts';
import type { ZoneNetwork } from '../net/zone-network.ts';
import type { AppliedFault, FaultExecutor } from '../run/nemesis-driver.ts';
import { flipChunkBytes } from './chunk-files.ts';
import { fillDisk, unfillDisk, wipeDirectory } from './disk-fill.ts';

/** Kernel drop rules next to the proxies (NftNetwork). */
export interface NetworkRules {
  apply(faults: readonly NetworkFault[]): Promise<void>;
  heal(): Promise<void>;
}

export interface FaultHost {
  zones: LocalZoneCluster;
  network: ZoneNetwork;
  rules?: NetworkRules;
  /** A data node's directory, by node id. */
  nodeDir(nodeId: string): string;
  /** The zone hosting the meta leader now, for META_LEADER_ZONE targets. */
  leaderZone(): Promise<string | undefined>;
  log(line: string): void;
}

export class ChaosFaultExecutor implements FaultExecutor {
  private readonly killed = new Set<string>();
  private readonly paused = new Set<string>();
  /** Stopped data nodes → their zone. */
  private readonly stopped = new Map<string, string>();
  private readonly filled = new Set<string>();
  private networkFaults: NetworkFault[] = [];

  constructor(private readonly host: FaultHost) {}

  async inject(fault: NemesisFault): Promise<AppliedFault> {
    const resolved = await this.resolve(fault);
    let description = describeFault(resolved);
    switch (resolved.kind) {
      case 'zone-kill':
        this.running(resolved.zone);
        this.killed.add(resolved.zone);
        await this.host.zones.kill(resolved.zone, 'SIGKILL');
        break;
      case 'zone-pause':
        this.running(resolved.zone).child.kill('SIGSTOP');
        this.paused.add(resolved.zone);
        break;
      case 'node-kill':
        await this.control(resolved.zone, `node-stop ${resolved.node}`);
        this.stopped.set(resolved.node, resolved.zone);
        break;
      case 'disk-loss':
        await this.control(resolved.zone, `node-stop ${resolved.node}`);
        this.stopped.set(resolved.node, resolved.zone);
        wipeDirectory(this.host.nodeDir(resolved.node));
        await this.control(resolved.zone, `node-start ${resolved.node}`);
        this.stopped.delete(resolved.node);
        break;
      case 'bitrot': {
        const flipped = await flipChunkBytes(this.host.nodeDir(resolved.node), resolved.chunks, resolved.seed);
        if (flipped.length < resolved.chunks) description += ` (${flipped.length} stored)`;
        this.host.log(`bitrot on ${resolved.node}: ${flipped.map((f) => `${f.chunkId.slice(0, 12)}…@${f.offsets.join(',')}`).join(' ') || 'no chunks'}`);
        break;
      }
      case 'disk-full': {
        const bytes = await fillDisk(this.host.nodeDir(resolved.node));
        this.filled.add(resolved.node);
        description += ` (${(bytes / 2 ** 20).toFixed(0)} MiB written)`;
        break;
      }
      case 'network':
        this.networkFaults = [...this.networkFaults, resolved.fault];
        await this.applyNetwork();
        break;
    }
    return { fault: resolved, description, injectedAt: Date.now() };
  }

  async heal(applied: AppliedFault): Promise<void> {
    const f = applied.fault;
    switch (f.kind) {
      case 'zone-kill':
        if (!this.host.zones.process(f.zone)?.running) await this.host.zones.start(f.zone);
        this.killed.delete(f.zone);
        break;
      case 'zone-pause':
        this.host.zones.process(f.zone)?.child.kill('SIGCONT');
        this.paused.delete(f.zone);
        break;
      case 'node-kill':
        await this.control(f.zone, `node-start ${f.node}`);
        this.stopped.delete(f.node);
        break;
      case 'disk-loss':
      case 'bitrot':
        break;
      case 'disk-full':
        await unfillDisk(this.host.nodeDir(f.node));
        this.filled.delete(f.node);
        break;
      case 'network': {
        const key = JSON.stringify(f.fault);
        const i = this.networkFaults.findIndex((x) => JSON.stringify(x) === key);
        if (i >= 0) this.networkFaults = this.networkFaults.filter((_, j) => j !== i);
        await this.applyNetwork();
        break;
      }
    }
  }

  /** Every zone running and resumed, the network healed, disks emptied, every node started. */
  async healAll(): Promise<void> {
    for (const zone of this.paused) this.host.zones.process(zone)?.child.kill('SIGCONT');
    this.paused.clear();
    this.networkFaults = [];
    await this.applyNetwork();
    for (const node of this.filled) await unfillDisk(this.host.nodeDir(node));
    this.filled.clear();
    // Any zone not running (killed, or died on its own) comes back.
    const down = this.host.zones.specs.map((s) => s.zone).filter((z) => !this.host.zones.process(z)?.running);
    await Promise.all(down.map((z) => this.host.zones.start(z)));
    this.killed.clear();
    for (const [node, zone] of this.stopped) {
      // A restarted zone started it already; node-start is then a no-op.
      await this.control(zone, `node-start ${node}`);
      this.stopped.delete(node);
    }
  }

  /** Forgets paused zones before a stop (they are SIGCONTed so SIGKILL/SIGTERM take effect at once). */
  resumeAll(): void {
    for (const zone of this.paused) this.host.zones.process(zone)?.child.kill('SIGCONT');
    this.paused.clear();
  }

  private async resolve(fault: NemesisFault): Promise<NemesisFault> {
    if ((fault.kind === 'zone-kill' || fault.kind === 'zone-pause') && fault.zone === META_LEADER_ZONE) {
      const zone = await this.host.leaderZone();
      if (!zone) throw new Error(`${fault.kind} of the meta leader's zone: no meta leader now`);
      return { ...fault, zone };
    }
    return fault;
  }

  private running(zone: ZoneTarget) {
    const p = this.host.zones.process(zone);
    if (!p?.running) throw new Error(`${zone} is not running`);
    if (this.paused.has(zone)) throw new Error(`${zone} is paused`);
    return p;
  }

  private async control(zone: string, cmd: string): Promise<void> {
    await this.running(zone).control(cmd);
  }

  private async applyNetwork(): Promise<void> {
    this.host.network.apply(this.networkFaults);
    await this.host.rules?.apply(this.networkFaults);
  }
}
