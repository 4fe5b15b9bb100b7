// Where a request is served. Writes: proposed here when this replica leads, else forwarded to
// the leader. Reads: served here after a ReadIndex round confirms this replica's state includes
// every write acknowledged before the read began (a follower asks the leader for the index;
// no lease, no clock assumptions). While an election is in progress both wait, up to a bound,
// for a leader to appear instead of failing at once.
import type { RaftHost } from '../../raft/host/raft-host.ts';
import type { NodeId } from '../../raft/types.ts';
import type { Command } from '../../common/gen/zonestore/meta/v1/command_pb.ts';
import { MetaError, isMetaError } from '../meta-error.ts';
import type { CommandOutcome } from '../state/meta-state-machine.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';
import type { CommandStamper } from './command-stamper.ts';
import { LeaderForwarder } from './leader-forwarder.ts';
import { metaErrorOfRaft } from './raft-outcome.ts';

/** Longest a request waits for an election to produce a leader. */
export const LEADER_WAIT_MS = 5_000;
/** How often a waiting request looks for a leader again. */
export const LEADER_POLL_MS = 25;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class RequestRouter {
  constructor(
    private readonly host: RaftHost<CommandOutcome>,
    private readonly store: MetaStateStore,
    private readonly stamper: CommandStamper,
    private readonly forwarder: LeaderForwarder,
    private readonly apiAddresses: Record<NodeId, string>,
  ) {}

  apiAddressOf = (id: NodeId): string | undefined => this.apiAddresses[id];

  /** Applies `op` through Raft (here or at the leader) and returns its result or throws its refusal. */
  async write<Res>(method: string, op: Command['op'], forwarded: boolean): Promise<Res> {
    const deadline = Date.now() + LEADER_WAIT_MS;
    for (;;) {
      const leader = this.host.leader;
      try {
        if (this.host.isLeader) {
          const outcome = await this.host.propose(this.stamper.stamp(op));
          if (!outcome.ok) throw outcome.error;
          return outcome.value as Res;
        }
        if (leader !== '' && !forwarded) return await this.forwardWhileLeader<Res>(leader, method, op.value);
        if (leader !== '') throw this.notLeader(leader);
      } catch (err) {
        const e = metaErrorOfRaft(err, this.apiAddressOf);
        // Lost leadership before the entry was appended: it never applies, so try again.
        if (!(isMetaError(e, 'NotLeader') && !forwarded && Date.now() < deadline)) throw e;
      }
      if (Date.now() >= deadline) throw this.notLeader('');
      await sleep(LEADER_POLL_MS);
    }
  }

  /**
   * Forwards to `leader` for as long as this replica still follows it. A leader that went silent
   * (paused, cut off) would hold the call until its deadline; once this replica has given up on it
   * (an election, or a new leader), the call is abandoned as OutcomeUnknown, so the caller learns
   * in about an election timeout instead of its whole deadline.
   */
  private async forwardWhileLeader<Res>(leader: NodeId, method: string, value: unknown): Promise<Res> {
    const abandon = new AbortController();
    const watch = setInterval(() => {
      if (this.host.leader !== leader) abandon.abort();
    }, LEADER_POLL_MS);
    try {
      return await this.forwarder.forward<Res>(leader, method, value, abandon.signal);
    } finally {
      clearInterval(watch);
    }
  }

  /** Resolves once reading the local store is linearizable. */
  async linearize(): Promise<void> {
    if (this.store.needsSnapshot) throw new MetaError('ServiceUnavailable', 'this replica is installing a snapshot');
    const deadline = Date.now() + LEADER_WAIT_MS;
    for (;;) {
      try {
        await this.host.read();
        if (this.store.needsSnapshot) throw new MetaError('ServiceUnavailable', 'this replica is installing a snapshot');
        return;
      } catch (err) {
        const e = metaErrorOfRaft(err, this.apiAddressOf);
        if (!isMetaError(e, 'NotLeader') || Date.now() >= deadline) throw e;
      }
      await sleep(LEADER_POLL_MS);
    }
  }

  private notLeader(leader: NodeId): MetaError {
    const leaderAddress = leader ? this.apiAddresses[leader] ?? '' : '';
    return new MetaError('NotLeader', leader ? `${this.host.id} is not the leader` : 'no leader known',
      leaderAddress ? { leader, leaderAddress } : {});
  }
}
