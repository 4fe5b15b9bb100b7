// --profile: one extra zonestore cell at the highest concurrency with V8's sampling profiler
// running in every kv node during exactly the measured window (see profiler-hook.ts), then a
// summary of the leader's profile (and a shorter one per follower) for RESULTS.md.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CellResult, WindowHooks } from './load-cell.ts';
import type { KvNode } from './zonestore-cluster.ts';
import { profileFileName } from './profiler-hook.ts';
import { formatProfileSummary, readProfile, summarizeProfile } from './cpu-profile-summary.ts';

const PROFILE_WRITE_TIMEOUT_MS = 30_000;

/** Window hooks that start and stop the profiler in every node (SIGUSR2 toggles it). */
export function profilerToggle(nodes: readonly KvNode[]): WindowHooks {
  const toggle = (): void => {
    for (const n of nodes) {
      try {
        process.kill(n.pid, 'SIGUSR2');
      } catch {
        // a dead node simply yields no profile; collectProfiles reports it
      }
    }
  };
  return { begin: toggle, end: toggle };
}

export interface CollectedProfile {
  node: KvNode;
  isLeader: boolean;
  file: string;
}

/** Waits for each node's first profile, copies it to `keepDir` (temp dirs are deleted on exit). */
export async function collectProfiles(
  profileDir: string,
  keepDir: string,
  nodes: readonly KvNode[],
  leader: KvNode,
): Promise<CollectedProfile[]> {
  mkdirSync(keepDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const deadline = Date.now() + PROFILE_WRITE_TIMEOUT_MS;
  const collected: CollectedProfile[] = [];
  for (const node of nodes) {
    const source = join(profileDir, profileFileName(node.pid, 0));
    while (!existsSync(source) && Date.now() < deadline) await sleep(100);
    if (!existsSync(source)) continue;
    const role = node === leader ? 'leader' : 'follower';
    const file = join(keepDir, `${stamp}-${node.id}-${role}.cpuprofile`);
    copyFileSync(source, file);
    collected.push({ node, isLeader: node === leader, file });
  }
  return collected;
}

/** Markdown: how the profiled cell ran, then the summaries as preformatted text. */
export function renderProfileSection(cell: CellResult, profiles: CollectedProfile[], leaderTop: number): string {
  const blocks: string[] = [];
  const ordered = [...profiles].sort((a, b) => Number(b.isLeader) - Number(a.isLeader));
  for (const p of ordered) {
    // The leader is where a Put's cost lands; followers get a glance (they mostly persist).
    const top = p.isLeader ? leaderTop : 8;
    const summary = summarizeProfile(readProfile(p.file), top);
    summary.ownInclusive = summary.ownInclusive.slice(0, top);
    summary.areas = summary.areas.slice(0, p.isLeader ? 15 : 8);
    blocks.push(formatProfileSummary(`${p.node.id} (${p.isLeader ? 'leader' : 'follower'})`, summary));
  }
  return [
    `### CPU profile of the zonestore nodes at c=${cell.concurrency}`,
    '',
    `A separate, profiled ${cell.concurrency}-way cell (sampling profiler on in all three nodes for the measured ` +
      `window, which costs throughput, so compare its numbers with care): ${Math.round(cell.putsPerSec)} puts/s, ` +
      `p99 ${cell.latency.p99Ms.toFixed(1)} ms, leader CPU ${Math.round(cell.leaderCpuPct)}%. ` +
      `Profiles kept at: ${ordered.map((p) => `\`${p.file}\``).join(', ')} (open in Chrome DevTools › Performance, or ` +
      'summarize with `node --import tsx benchmarks/raft/cpu-profile-summary.ts <file>`).',
    '',
    '```',
    blocks.join('\n\n'),
    '```',
  ].join('\n');
}
