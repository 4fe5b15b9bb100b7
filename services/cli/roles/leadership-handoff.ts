// Before a meta replica stops on purpose it hands leadership to another voter (Raft's
// TimeoutNow transfer), so the cluster has a leader again within a round trip instead of an
// election timeout, and writes in flight elsewhere barely notice the restart.
import type { Logger } from 'pino';
import type { MetaReplica } from '../../meta/replica/meta-replica.ts';

/** How long one transfer attempt may take before the next voter is tried. */
export const HANDOFF_ATTEMPT_MS = 600;
const POLL_MS = 20;

/** Resolves once this replica no longer leads (true), or every voter was tried (false). */
export async function handOffLeadership(replica: MetaReplica, log: Logger): Promise<boolean> {
  const host = replica.host;
  if (!host.isLeader) return true;
  const others = host.status().conf.voters.filter((v) => v !== host.id);
  for (const to of others) {
    if (!host.isLeader) break;
    if (!host.transferLeadership(to)) continue;
    const deadline = Date.now() + HANDOFF_ATTEMPT_MS;
    while (host.isLeader && Date.now() < deadline) await new Promise((r) => setTimeout(r, POLL_MS));
    if (!host.isLeader) {
      log.info({ to, leader: host.leader }, 'leadership handed away before stopping');
      return true;
    }
  }
  if (host.isLeader) log.warn({ tried: others }, 'could not hand leadership away; the others elect a leader after an election timeout');
  return !host.isLeader;
}
