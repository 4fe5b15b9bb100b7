// Raft metrics of the meta replicas in this process, by `replica` id. Gauges read each replica's
// status at scrape time; leader changes and proposal latency are pushed by the Raft host loop's
// observer hooks (they only watch: nothing here changes what Raft does).
import { Counter, Gauge, Histogram } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS, MetricSources, processRegistry } from './process-registry.ts';

/** What a replica reports at scrape time. */
export interface RaftMetricSource {
  term: number;
  isLeader: boolean;
  /** '' when this replica knows no leader. */
  leader: string;
  commit: number;
  applied: number;
  voters: number;
}

export const raftSources = new MetricSources<() => RaftMetricSource>();

function gauge(name: string, help: string, value: (s: RaftMetricSource) => number): void {
  new Gauge({
    name, help, labelNames: ['replica'] as const, registers: [processRegistry],
    collect() {
      this.reset();
      for (const [replica, status] of raftSources.entries()) this.set({ replica }, value(status()));
    },
  });
}

gauge('zonestore_raft_term', 'Current Raft term of the replica', (s) => s.term);
gauge('zonestore_raft_is_leader', 'Whether the replica is the Raft leader (1) or not (0)', (s) => (s.isLeader ? 1 : 0));
gauge('zonestore_raft_has_leader', 'Whether the replica knows a leader for its term (1) or not (0)', (s) => (s.leader !== '' ? 1 : 0));
gauge('zonestore_raft_commit_index', 'Highest log index the replica knows committed', (s) => s.commit);
gauge('zonestore_raft_applied_index', 'Highest log index applied to the replica\'s state machine', (s) => s.applied);
gauge('zonestore_raft_voters', 'Voting members in the replica\'s configuration', (s) => s.voters);

const leaderChanges = new Counter({
  name: 'zonestore_raft_leader_changes_total', help: 'Times the leader this replica knows changed (including to none)',
  labelNames: ['replica'] as const, registers: [processRegistry],
});
const proposalDuration = new Histogram({
  name: 'zonestore_raft_proposal_duration_seconds',
  help: 'Time from a proposal on the leader to its entry applied there, by outcome (applied|failed)',
  labelNames: ['replica', 'outcome'] as const, buckets: LATENCY_BUCKETS_SECONDS, registers: [processRegistry],
});

/** The observer a Raft host takes for replica `replica` (see RaftHostObserver). */
export function raftObserverFor(replica: string): { leaderChanged(): void; proposalFinished(seconds: number, applied: boolean): void } {
  return {
    leaderChanged: () => leaderChanges.inc({ replica }),
    proposalFinished: (seconds, applied) => proposalDuration.observe({ replica, outcome: applied ? 'applied' : 'failed' }, seconds),
  };
}
