// One sentence per profiled cell saying where the hot zone's time went — the areas that add up
// to most of its busy time, and the heaviest of our own functions — so the RESULTS.md section
// answers "why short" without a reader opening the profile. Pure over a profile summary.
import type { ProfileSummary } from '../../../../benchmarks/raft/cpu-profile-summary.ts';

/** Areas named until they cover this share of the busy time (or the row limit). */
const COVER_SHARE = 0.6;
const MAX_AREAS = 5;
const MAX_OWN = 3;

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
  return `${zone}: busy ${((s.busyMs / Math.max(1, s.totalMs)) * 100).toFixed(0)}% of the sampled time; by self time ${areas.join(', ')}`
    + (own.length > 0 ? `; heaviest of our code (inclusive): ${own.join(', ')}.` : '.');
}
