/** Which property a simulated run broke. */
export type ViolationKind =
  | 'election-safety' // two leaders in one term
  | 'log-matching' // two logs disagree before a shared (index, term)
  | 'leader-completeness' // a leader lacks an entry committed in an earlier term
  | 'state-machine-safety' // two nodes applied different entries at one index
  | 'commit-regression' // a live node's commit index went down
  | 'durable-state' // persisted term went down, or a vote changed within a term
  | 'durability' // a leader committed an entry that a majority does not hold on disk
  | 'host-contract' // the core's Ready broke the documented host contract
  | 'linearizability' // the KV register's client history has no linearization
  | 'liveness' // no leader / no progress within the bound after faults healed
  | 'exception'; // the core threw

/** A broken invariant: stops the run and is reported with the seed. */
export class SimViolation extends Error {
  constructor(
    readonly kind: ViolationKind,
    message: string,
  ) {
    super(`${kind}: ${message}`);
    this.name = 'SimViolation';
  }
}
