import { MessageType, type Message } from '../../../../services/raft/types.ts';
import { ScriptedCluster, VOTES } from './scripted-cluster.ts';
import { SimViolation } from './violation.ts';

export interface ScenarioResult {
  violation?: SimViolation;
  trace: string[];
}

const ALL = ['s1', 's2', 's3', 's4', 's5'];

/** Messages between `a` and `b`, both ways. */
const between = (a: string, b: string) => (m: Message) => (m.from === a && m.to === b) || (m.from === b && m.to === a);

/** Campaign until the node leads (a campaign loses when voters already voted in that term). */
function winElection(s: ScriptedCluster, id: string, voters: string[]): number {
  for (let attempt = 0; attempt < 3; attempt++) {
    s.campaign(id);
    s.exchange([id, ...voters], VOTES);
    const node = s.host(id).node!;
    if (node.role === 'leader') return node.term;
  }
  throw new Error(`script: ${id} could not win an election with ${voters.join(', ')}`);
}

/**
 * Figure 8 of the Raft paper, message by message (terms are one lower than the paper's because
 * our first leader is elected in term 1):
 *  (a) s1 leads term 1 and replicates entry X at index 2 to s2 only;
 *  (b) s1 crashes; s5 wins term 2 with s3, s4 and puts its own entry at index 2; s5 crashes;
 *  (c) s1 restarts, wins term 3 with s2, s3, s4 and brings s3 up to X — X is now on a majority
 *      but is from term 1; with the planted bug s1 commits it by counting; s1 crashes;
 *  (d) s5 restarts and wins term 4 (its last entry, term 2, beats term 1), so X is overwritten.
 * With the correct commit rule nothing was committed in (c) and (d) is legal; the cluster must
 * then heal and agree.
 */
export function runFigure8(commitPreviousTermByCounting: boolean): ScenarioResult {
  const s = new ScriptedCluster(ALL, { commitPreviousTermByCounting });
  const trace = (t: string) => s.c.trace.add(s.c.now, `script: ${t}`);
  try {
    trace('(a) s1 leads term 1, X reaches s2 only');
    s.campaign('s1');
    s.exchange(ALL);
    s.expectLeader('s1', 1);
    s.propose('s1', 'X');
    s.deliver(between('s1', 's2'));
    s.dropAll();

    trace('(b) s1 crashes; s5 leads term 2 with s3, s4; its entry at index 2 stays on s5');
    s.crash('s1');
    const t5 = winElection(s, 's5', ['s3', 's4']);
    s.dropAll();
    if (s.host('s5').disk.term(2) !== t5) throw new Error('script: s5 has no own-term entry at index 2');
    s.crash('s5');

    trace('(c) s1 restarts and leads; X goes to s3, s1 term entry stays on s1, s2');
    s.restart('s1');
    winElection(s, 's1', ['s2', 's3', 's4']);
    s.exchange(['s1', 's2']);
    // Deliver to s3 until it holds X at index 2, then let only its answers through.
    while (s.lastIndex('s3') < 2) {
      if (!s.deliverOne(between('s1', 's3'))) throw new Error('script: s3 never got X');
    }
    s.deliver((m) => m.from === 's3' && m.to === 's1' && m.type === MessageType.AppendResponse);
    s.dropAll();
    trace(`s1 commit is ${s.host('s1').disk.hardState.commit}`);
    s.crash('s1');

    trace('(d) s5 restarts and wins with s2, s3, s4 (s2 refuses), overwriting index 2');
    s.restart('s5');
    winElection(s, 's5', ['s2', 's3', 's4']);
    s.exchange(['s5', 's2', 's3', 's4']);

    trace('heal: s1 restarts, timers run, everyone must converge');
    s.restart('s1');
    const converged = s.runUntil(() => {
      const leader = s.c.leader();
      if (!leader) return false;
      const commit = leader.node!.status().commit;
      return s.c.hosts.every((h) => h.alive && h.kv.applied === commit && h.kv.digest === leader.kv.digest);
    }, 500);
    if (!converged) throw new SimViolation('liveness', 'the cluster did not converge after Figure 8');
    return { trace: s.c.trace.tail(60) };
  } catch (err) {
    if (!(err instanceof SimViolation)) throw err;
    s.c.trace.add(s.c.now, `VIOLATION ${err.message}`);
    return { violation: err, trace: s.c.trace.tail(60) };
  }
}
