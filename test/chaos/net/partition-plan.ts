// Network faults between zones, turned into what each proxied link does. Pure. A link is a client
// zone dialling a server in another zone: its forward direction carries the client zone's
// packets, its backward direction the server zone's. A fault says which packets between which
// zones are lost or slowed; traffic inside a zone never crosses a proxy and is never touched.
import { delay, DROP, type LinkMode, type LinkModes, PASS } from './link-mode.ts';

export type NetworkFault =
  /** The zone hears nobody and nobody hears it. */
  | { readonly kind: 'isolate'; readonly zone: string }
  /** The zone's packets to every other zone are lost; it still hears them (a one-way partition). */
  | { readonly kind: 'mute'; readonly zone: string }
  /** Packets between two zones are lost (only from → to when oneWay). */
  | { readonly kind: 'cut'; readonly from: string; readonly to: string; readonly oneWay?: boolean }
  /** Every packet to or from the zone is delayed. */
  | { readonly kind: 'slow'; readonly zone: string; readonly ms: number; readonly jitterMs?: number };

/** What happens to packets sent from zone `from` to zone `to` under all of `faults`: loss beats delay. */
export function packetMode(faults: readonly NetworkFault[], from: string, to: string): LinkMode {
  if (from === to) return PASS;
  let slowest: Extract<LinkMode, { kind: 'delay' }> | undefined;
  for (const f of faults) {
    switch (f.kind) {
      case 'isolate':
        if (f.zone === from || f.zone === to) return DROP;
        break;
      case 'mute':
        if (f.zone === from) return DROP;
        break;
      case 'cut':
        if ((f.from === from && f.to === to) || (!f.oneWay && f.from === to && f.to === from)) return DROP;
        break;
      case 'slow':
        if (f.zone === from || f.zone === to) {
          const d = delay(f.ms, f.jitterMs ?? 0) as Extract<LinkMode, { kind: 'delay' }>;
          if (!slowest || d.ms + (d.jitterMs ?? 0) > slowest.ms + (slowest.jitterMs ?? 0)) slowest = d;
        }
        break;
    }
  }
  return slowest ?? PASS;
}

/** The modes of the link on which zone `client` dials a server in zone `server`. */
export function linkModesFor(faults: readonly NetworkFault[], client: string, server: string): LinkModes {
  return { forward: packetMode(faults, client, server), backward: packetMode(faults, server, client) };
}

/** Whether zone `a` can exchange packets with zone `b` both ways (for assertions and reports). */
export function canTalk(faults: readonly NetworkFault[], a: string, b: string): boolean {
  return packetMode(faults, a, b).kind !== 'drop' && packetMode(faults, b, a).kind !== 'drop';
}

export function describeNetworkFault(f: NetworkFault): string {
  switch (f.kind) {
    case 'isolate': return `isolate ${f.zone}`;
    case 'mute': return `mute ${f.zone} (its packets to other zones are lost)`;
    case 'cut': return `cut ${f.from} ${f.oneWay ? '→' : '↔'} ${f.to}`;
    case 'slow': return `slow ${f.zone} by ${f.ms}±${f.jitterMs ?? 0} ms`;
  }
}
