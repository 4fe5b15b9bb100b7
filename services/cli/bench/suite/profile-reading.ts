// One sentence per profiled cell saying where the hot zone's time went — the areas that add up
// to most of its busy time, and the heaviest of our own functions — so the RESULTS.md section
// answers "why short" without a reader opening the profile. Pure over a profile summary.
import type { ProfileSummary } from '../../../../benchmarks/raft/cpu-profile-summary.ts';

/** Areas named until they cover this share of the busy time (or the row limit). */
const COVER_SHARE = 0.6;
const MAX_AREAS = 5;
const MAX_OWN = 3;
/** Below this share of the sampled time on CPU, the hot zone is mostly waiting. */
const WAITING_BELOW = 0.6;

export function profileReading(zone: string, s: ProfileSummary): string {
  const busy = s.busyMs * 1000;
  if (busy <= 0) return `${zone} was idle while profiled.`;
  const pct = (micros: number): string => `${((micros / busy) * 100).toFixed(0)}%`;
  const areas: string[] = [];
  let covered = 0;
  for (const a of s.areas) {
    if (covered >= COVER_SHARE * busy || areas.length >= MAX_AREAS) break;
    areas.push(`${a.label} ${pct(a.micros)}`);
    covered += a.micros;
  }
  const own = s.ownInclusive.slice(0, MAX_OWN).map((r) => `${r.label.replace(/\s+/g, ' ')} ${pct(r.micros)}`);
  const busyShare = s.busyMs / Math.max(1, s.totalMs);
  // A zone that is idle much of the time is not what holds the operation up: it waits (on fsyncs,
  // on Raft and shard round trips between zones, or for CPU the machine gives to others).
  const waiting = busyShare < WAITING_BELOW
    ? ` It was on CPU only ${(busyShare * 100).toFixed(0)}% of the time: the operations mostly wait (fsyncs, round trips between zones, a busy machine's run queue), which a CPU profile cannot show.`
    : '';
  return `${zone}: busy ${(busyShare * 100).toFixed(0)}% of the sampled time; by self time ${areas.join(', ')}`
    + (own.length > 0 ? `; heaviest of our code (inclusive): ${own.join(', ')}.` : '.') + waiting;
}
