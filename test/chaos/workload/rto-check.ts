// RTO per fault: the longest stretch, overlapping the fault or the recovery after it, during
// which no write was acknowledged anywhere. Pure. Write acknowledgements are the evidence of
// service; a stretch begins at the last acknowledgement before it (or the fault's start, if
// writes were still flowing then) and ends at the next one (or the run's end, which then counts
// as "not recovered").
import { isWrite, type HistoryOp } from '../linearizability/index.ts';

export interface FaultWindow {
  id: number;
  label: string;
  startMs: number;
  /** When it was healed. */
  endMs: number;
}

export interface FaultRto {
  fault: FaultWindow;
  /** Longest stretch without an acknowledged write touching [start, next fault's start). */
  longestGapMs: number;
  gapFrom: number;
  gapTo: number;
  /** False when no write was acknowledged after the fault before the window closed. */
  recovered: boolean;
}

/** `runEndMs`: when the workload stopped (the last window closes there). */
export function writeRto(history: readonly HistoryOp[], faults: readonly FaultWindow[], runEndMs: number): FaultRto[] {
  const acks = history
    .filter((op) => isWrite(op.call) && op.result.type === 'ok' && op.complete !== null)
    .map((op) => op.complete!)
    .sort((a, b) => a - b);
  const sorted = [...faults].sort((a, b) => a.startMs - b.startMs);
  return sorted.map((fault, i) => {
    const windowEnd = sorted[i + 1]?.startMs ?? runEndMs;
    // The stretches are the gaps between consecutive acknowledgements, with the fault's start
    // and the window's end as sentinels when no acknowledgement falls there.
    const before = lastAtOrBefore(acks, fault.startMs);
    const points = [before ?? fault.startMs, ...acks.filter((t) => t > fault.startMs && t < windowEnd)];
    const recovered = points.length > 1;
    points.push(windowEnd);
    let best = { len: -1, from: 0, to: 0 };
    for (let j = 1; j < points.length; j++) {
      const len = points[j]! - points[j - 1]!;
      if (len > best.len) best = { len, from: points[j - 1]!, to: points[j]! };
    }
    return { fault, longestGapMs: best.len, gapFrom: best.from, gapTo: best.to, recovered };
  });
}

function lastAtOrBefore(sorted: readonly number[], t: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : undefined;
}

export function describeRto(rtos: readonly FaultRto[]): string {
  const lines = ['write RTO per fault (longest stretch without an acknowledged write):'];
  for (const r of rtos) {
    const gap = `${(r.longestGapMs / 1000).toFixed(2)} s [${(r.gapFrom / 1000).toFixed(1)}, ${(r.gapTo / 1000).toFixed(1)}]`;
    lines.push(`  #${r.fault.id} ${r.fault.label}: ${gap}${r.recovered ? '' : ' — NOT RECOVERED before the next fault / the end'}`);
  }
  return lines.join('\n');
}
