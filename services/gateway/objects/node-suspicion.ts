// Nodes the gateway saw fail recently. Meta marks a dead node DOWN only after its zone has
// been silent for seconds; until then every write would pick it again, fail, and (for RS
// stripes whose zone is wholly dead) miss the acknowledgement rule. Remembering failures for a
// while lets the next write place around them, or fall back to replicas. Pure: the caller
// passes the time.
import { NODE_SUSPECT_MS } from './data-path-limits.ts';

export class NodeSuspicion {
  /** node id → time (ms) until which it is suspected. */
  private readonly until = new Map<string, number>();

  constructor(private readonly suspectMs = NODE_SUSPECT_MS) {}

  failed(node: string, now: number): void {
    this.until.set(node, now + this.suspectMs);
  }

  /** A success clears the suspicion at once: the node is evidently back. */
  succeeded(node: string): void {
    this.until.delete(node);
  }

  suspects(now: number): Set<string> {
    const out = new Set<string>();
    for (const [node, until] of this.until) {
      if (until > now) out.add(node);
      else this.until.delete(node);
    }
    return out;
  }
}
