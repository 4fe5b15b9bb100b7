// Installs a snapshot by streaming the state of a peer that has applied at least the snapshot's
// index (the leader first, then the others), retrying until one succeeds. The store marks the
// install as incomplete until the last batch lands, so a crash halfway is repaired by
// installing again on restart.
import type { Logger } from 'pino';
import { MetaService } from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { createClient } from '../../common/grpc/service-client.ts';
import { boundTarget } from '../../common/grpc/local-address-resolver.ts';
import type { NodeId } from '../../raft/types.ts';
import type { SnapshotInstaller } from '../state/meta-state-machine.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';

/** Longest one snapshot stream may take. */
export const SNAPSHOT_FETCH_TIMEOUT_MS = 10 * 60_000;
/** Pause between rounds over all peers when none could serve the snapshot. */
export const SNAPSHOT_RETRY_MS = 500;
/** Largest message accepted from a snapshot stream (batches are ~1 MiB; one huge record may exceed). */
export const MAX_SNAPSHOT_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface PeerSnapshotInstallerOptions {
  selfId: NodeId;
  store: MetaStateStore;
  /** API address of every replica. */
  apiAddresses: Record<NodeId, string>;
  localAddress?: string;
  /** The current leader, tried first (set once the Raft host exists). */
  leader(): NodeId;
  log: Logger;
}

export class PeerSnapshotInstaller implements SnapshotInstaller {
  private stopped = false;

  constructor(private readonly opts: PeerSnapshotInstallerOptions) {}

  /** Makes a running install give up (the Raft host is stopping). */
  stop(): void {
    this.stopped = true;
  }

  async install(minIndex: number): Promise<void> {
    while (!this.stopped) {
      for (const peer of this.candidates()) {
        if (this.stopped) break;
        try {
          await this.fetchFrom(peer, minIndex);
          return;
        } catch (err) {
          this.opts.log.warn({ peer, minIndex, err: (err as Error).message }, 'snapshot fetch failed; trying another replica');
        }
      }
      await new Promise((r) => setTimeout(r, SNAPSHOT_RETRY_MS));
    }
    throw new Error('snapshot install abandoned: stopping');
  }

  private candidates(): NodeId[] {
    const leader = this.opts.leader();
    const others = Object.keys(this.opts.apiAddresses).filter((id) => id !== this.opts.selfId && id !== leader).sort();
    return leader && leader !== this.opts.selfId && this.opts.apiAddresses[leader] ? [leader, ...others] : others;
  }

  private async fetchFrom(peer: NodeId, minIndex: number): Promise<void> {
    const { store } = this.opts;
    const client = createClient(MetaService, boundTarget(this.opts.apiAddresses[peer]!, this.opts.localAddress), {
      channelOptions: { 'grpc.max_receive_message_length': MAX_SNAPSHOT_MESSAGE_BYTES, 'grpc.enable_http_proxy': 0 },
    });
    try {
      const stream = client.fetchSnapshot({ minIndex: BigInt(minIndex) }, { timeoutMs: SNAPSHOT_FETCH_TIMEOUT_MS });
      let applied: bigint | undefined;
      let pairs = 0;
      for await (const msg of stream) {
        if (this.stopped) {
          stream.cancel();
          throw new Error('stopping');
        }
        if (applied === undefined) {
          applied = msg.appliedIndex;
          await store.beginInstall();
        } else if (msg.appliedIndex !== applied) {
          throw new Error(`snapshot stream changed index from ${applied} to ${msg.appliedIndex}`);
        }
        if (msg.pairs.length > 0) await store.installBatch(msg.pairs);
        pairs += msg.pairs.length;
        if (msg.done) {
          await store.finishInstall(Number(applied));
          this.opts.log.info({ peer, applied: Number(applied), pairs }, 'snapshot streamed from peer');
          return;
        }
      }
      throw new Error('snapshot stream ended early');
    } finally {
      client.close();
    }
  }
}
