// The faults a chaos run injects, as data: what to break and how healing undoes it. The runner
// carries them out (signals, proxies, files); the schedule only says what and when.
import { describeNetworkFault, type NetworkFault } from '../net/partition-plan.ts';

export const SCENARIOS = ['zone-kill', 'zone-pause', 'partition', 'bitrot', 'disk-loss', 'mixed'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** A zone by name, or whichever zone hosts the meta leader when the fault starts (resolved by the runner). */
export type ZoneTarget = string | typeof META_LEADER_ZONE;
export const META_LEADER_ZONE = 'meta-leader';

export type NemesisFault =
  /** SIGKILL the zone's process (meta replica, data nodes and gateway at once); heal: start it again. */
  | { readonly kind: 'zone-kill'; readonly zone: ZoneTarget }
  /** SIGSTOP the zone's process (alive but silent, leases and all); heal: SIGCONT. */
  | { readonly kind: 'zone-pause'; readonly zone: ZoneTarget }
  /** Stop one data node; heal: start it again. */
  | { readonly kind: 'node-kill'; readonly zone: string; readonly node: string }
  /** Lose or slow packets between zones through the proxies; heal: every link back to pass. */
  | { readonly kind: 'network'; readonly fault: NetworkFault }
  /** Flip bytes in `chunks` stored chunks of one node (which ones: from `seed`); heal: nothing to undo, scrub/repair's time. */
  | { readonly kind: 'bitrot'; readonly zone: string; readonly node: string; readonly chunks: number; readonly seed: number }
  /** Stop a data node, wipe its directory, start it empty; heal: repair's time. */
  | { readonly kind: 'disk-loss'; readonly zone: string; readonly node: string }
  /** Fill the node's disk (a large file next to its chunks); heal: remove the file. */
  | { readonly kind: 'disk-full'; readonly zone: string; readonly node: string };

export type FaultKind = NemesisFault['kind'];

/** The zones a fault makes unable to serve on their own while it lasts (at most one, by design). */
export function impairedZones(f: NemesisFault): ZoneTarget[] {
  switch (f.kind) {
    case 'zone-kill': case 'zone-pause': return [f.zone];
    case 'network':
      if (f.fault.kind === 'isolate' || f.fault.kind === 'mute' || f.fault.kind === 'slow') return [f.fault.zone];
      // A cut between two zones leaves each of them a majority with the third.
      return [];
    default: return [f.zone];
  }
}

export function describeFault(f: NemesisFault): string {
  switch (f.kind) {
    case 'zone-kill': return `kill -9 ${f.zone}`;
    case 'zone-pause': return `pause ${f.zone} (SIGSTOP)`;
    case 'node-kill': return `stop data node ${f.node}`;
    case 'network': return describeNetworkFault(f.fault);
    case 'bitrot': return `flip bytes in ${f.chunks} chunk(s) of ${f.node}`;
    case 'disk-loss': return `wipe the disk of ${f.node}`;
    case 'disk-full': return `fill the disk of ${f.node}`;
  }
}
