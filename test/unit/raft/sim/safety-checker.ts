import { Role, type Entry, type NodeId, type Ready, type Snapshot } from '../../../../services/raft/types.ts';
import { entryKey } from './kv-state-machine.ts';
import type { SimHost } from './sim-host.ts';
import { SimViolation } from './violation.ts';

/** One entry of the single global sequence every node must apply a prefix of. */
interface CommittedEntry {
  term: number;
  key: string;
  /**
   * A term at or after the one in which the entry was committed: the term of the node that
   * first showed it committed. Every leader of a higher term must hold the entry (§5.4).
   */
  knownByTerm: number;
}

/**
 * Raft's safety properties, checked incrementally as hosts persist, apply and change role, so
 * a violation is reported at the step that caused it. State is kept over the whole history
 * (not just the current logs), which makes the checks stronger: e.g. log matching is checked
 * against every (index, term) ever persisted anywhere, even if since overwritten.
 */
export class SafetyChecker {
  /** Election safety: the one leader seen in each term. */
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** Log matching over all time: an (index, term) always names the same payload and predecessor term. */
  private readonly everPersisted = new Map<string, { key: string; prevTerm: number | undefined }>();
  private readonly committed = new Map<number, CommittedEntry>();
  /** Digest of the applied prefix ending at each index (the state-machine fingerprint). */
  private readonly digestAt = new Map<number, number>();
  /** Highest commit each live incarnation reported (reset on restart). */
  private readonly liveCommit = new Map<NodeId, number>();
  /** How far each host's disk commit has been folded into `committed`. */
  private readonly diskCommitSeen = new Map<NodeId, number>();
  private readonly diskHardState = new Map<NodeId, { term: number; vote: NodeId }>();
  /** Leaders seen, by "id@term", already checked for completeness at election. */
  private readonly knownLeaders = new Map<string, SimHost>();
  leadersElected = 0;
  maxCommitted = 0;

  committedCount(): number {
    return this.committed.size;
  }

  /** Called once a host has written a Ready's snapshot, entries and hard state. */
  persisted(host: SimHost, rd: Ready, hosts: readonly SimHost[]): void {
    const disk = host.disk;
    // A leader seen only inside a Ready (it may step down before the step ends) still counts.
    if (rd.softState?.role === Role.Leader) this.leaderSeen(host.id, disk.hardState.term);
    if (rd.snapshot) this.snapshotCommitted(host, rd.snapshot);
    let prevTerm = rd.entries.length > 0 ? disk.term(rd.entries[0].index - 1) : undefined;
    for (const e of rd.entries) {
      const id = `${e.index}:${e.term}`;
      const key = entryKey(e);
      const seen = this.everPersisted.get(id);
      if (!seen) this.everPersisted.set(id, { key, prevTerm });
      else if (seen.key !== key || (seen.prevTerm !== undefined && prevTerm !== undefined && seen.prevTerm !== prevTerm)) {
        throw new SimViolation(
          'log-matching',
          `${host.id} persisted (${id}) = ${key} after prev term ${prevTerm}; earlier (${id}) = ${seen.key} after prev term ${seen.prevTerm}`,
        );
      }
      prevTerm = e.term;
    }
    this.checkHardState(host);
    this.foldDiskCommit(host, hosts);
  }

  /** Entries at or below a host's persisted commit are committed. */
  private foldDiskCommit(host: SimHost, hosts: readonly SimHost[]): void {
    const hs = host.disk.hardState;
    const from = this.diskCommitSeen.get(host.id) ?? 0;
    if (hs.commit < from) {
      throw new SimViolation('durable-state', `${host.id}: persisted commit went from ${from} to ${hs.commit}`);
    }
    const leader = host.node?.role === Role.Leader ? host.node : undefined;
    const voters = leader?.status().conf.voters;
    for (let i = Math.max(from + 1, host.disk.firstIndex()); i <= hs.commit; i++) {
      const e = host.disk.entry(i);
      if (!e) continue;
      if (voters && !this.committed.has(i)) this.checkOnMajority(host.id, e, voters, hosts);
      this.markCommitted(host.id, e, hs.term);
    }
    this.diskCommitSeen.set(host.id, hs.commit);
  }

  /**
   * Durability: when a leader commits an entry, a majority of its voters must hold it on disk
   * (acknowledgements are sent only after persisting, so counting them can never overshoot).
   */
  private checkOnMajority(leaderId: NodeId, e: Entry, voters: readonly NodeId[], hosts: readonly SimHost[]): void {
    let holders = 0;
    for (const v of voters) {
      const d = hosts.find((h) => h.id === v)?.disk;
      if (!d) continue;
      if (d.term(e.index) === e.term || (d.snapshot && d.snapshot.meta.index >= e.index)) holders++;
    }
    if (holders * 2 <= voters.length) {
      throw new SimViolation(
        'durability',
        `${leaderId} committed (${e.index}:${e.term}) but only ${holders} of ${voters.length} voters have it on disk`,
      );
    }
  }

  /** Persisted term never goes down and a persisted vote never changes within a term. */
  private checkHardState(host: SimHost): void {
    const hs = host.disk.hardState;
    const before = this.diskHardState.get(host.id);
    this.diskHardState.set(host.id, { term: hs.term, vote: hs.vote });
    if (hs.commit > host.disk.lastIndex()) {
      throw new SimViolation('host-contract', `${host.id}: persisted commit ${hs.commit} beyond persisted log end ${host.disk.lastIndex()}`);
    }
    if (!before) return;
    if (hs.term < before.term) {
      throw new SimViolation('durable-state', `${host.id}: persisted term went from ${before.term} to ${hs.term}`);
    }
    if (hs.term === before.term && before.vote !== '' && hs.vote !== before.vote) {
      throw new SimViolation('durable-state', `${host.id}: vote in term ${hs.term} changed from ${before.vote} to ${hs.vote}`);
    }
  }

  private snapshotCommitted(host: SimHost, snap: Snapshot): void {
    const c = this.committed.get(snap.meta.index);
    if (c && c.term !== snap.meta.term) {
      throw new SimViolation(
        'state-machine-safety',
        `${host.id} got a snapshot at ${snap.meta.index} term ${snap.meta.term}, but term ${c.term} was committed there`,
      );
    }
  }

  restoredSnapshot(host: SimHost, snap: Snapshot): void {
    this.checkDigest(host, snap.meta.index, host.kv.digest);
  }

  applied(host: SimHost, e: Entry): void {
    this.markCommitted(host.id, e, host.node?.term ?? e.term);
    this.checkDigest(host, e.index, host.kv.digest);
  }

  private checkDigest(host: SimHost, index: number, digest: number): void {
    const d = this.digestAt.get(index);
    if (d === undefined) this.digestAt.set(index, digest);
    else if (d !== digest) {
      throw new SimViolation('state-machine-safety', `${host.id}'s state after index ${index} differs from another node's`);
    }
  }

  private markCommitted(by: NodeId, e: Entry, knownByTerm: number): void {
    const key = entryKey(e);
    const c = this.committed.get(e.index);
    if (c) {
      if (c.term !== e.term || c.key !== key) {
        throw new SimViolation(
          'state-machine-safety',
          `${by} committed (${e.index}:${e.term}) = ${key}, but (${e.index}:${c.term}) = ${c.key} was committed before`,
        );
      }
      if (knownByTerm < c.knownByTerm) c.knownByTerm = knownByTerm;
      return;
    }
    const entry = { term: e.term, key, knownByTerm };
    this.committed.set(e.index, entry);
    if (e.index > this.maxCommitted) this.maxCommitted = e.index;
    for (const leader of this.knownLeaders.values()) this.checkLeaderHas(leader, e.index, entry);
  }

  /** Leader completeness for one committed entry. */
  private checkLeaderHas(leader: SimHost, index: number, c: CommittedEntry): void {
    const node = leader.node;
    if (!node || node.role !== Role.Leader || node.term <= c.knownByTerm) return;
    const d = leader.disk;
    if (d.snapshot && d.snapshot.meta.index >= index) return; // covered by its snapshot
    const t = d.term(index);
    if (t !== c.term) {
      throw new SimViolation(
        'leader-completeness',
        `${leader.id}, leader of term ${node.term}, has ${t === undefined ? 'no entry' : `term ${t}`} at ${index}, ` +
          `where term ${c.term} was committed (known by term ${c.knownByTerm})`,
      );
    }
  }

  /** Per-step checks over the live hosts: election safety, leader completeness, commit monotonic. */
  afterStep(hosts: readonly SimHost[]): void {
    for (const h of hosts) {
      const node = h.node;
      if (!node) continue;
      const commit = node.status().commit;
      const before = this.liveCommit.get(h.id) ?? 0;
      if (commit < before) {
        throw new SimViolation('commit-regression', `${h.id}: commit went from ${before} to ${commit} while alive`);
      }
      this.liveCommit.set(h.id, commit);
      if (node.role !== Role.Leader) continue;
      const term = node.term;
      this.leaderSeen(h.id, term);
      const k = `${h.id}@${term}`;
      if (!this.knownLeaders.has(k)) {
        this.knownLeaders.set(k, h);
        for (const [index, c] of this.committed) this.checkLeaderHas(h, index, c);
      }
    }
    // Forget leaders that stepped down or died; they cannot lead that term again.
    for (const [k, h] of this.knownLeaders) {
      if (!h.node || h.node.role !== Role.Leader || `${h.id}@${h.node.term}` !== k) this.knownLeaders.delete(k);
    }
  }

  private leaderSeen(id: NodeId, term: number): void {
    const prior = this.leaderOfTerm.get(term);
    if (prior === undefined) {
      this.leaderOfTerm.set(term, id);
      this.leadersElected++;
    } else if (prior !== id) {
      throw new SimViolation('election-safety', `${prior} and ${id} both led term ${term}`);
    }
  }

  /** A restarted incarnation may legitimately start from a lower (persisted) commit. */
  restarted(host: SimHost): void {
    this.liveCommit.delete(host.id);
  }

  /** The global sequence, for the liveness check and summaries. */
  committedTerm(index: number): number | undefined {
    return this.committed.get(index)?.term;
  }
}
