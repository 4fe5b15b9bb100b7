// A chaos run drawn as an SVG timeline: one row per client, one bar per op from invocation to
// completion (an unknown outcome pale and dashed, up to where the client gave up), fault windows shaded
// across all rows, and a violation's window outlined with its culprit filled red. Every bar
// carries its op's description as a tooltip. Pure: returns the markup.
import { describeOp, isWrite, type HistoryOp } from '../linearizability/index.ts';
import type { OpDetail } from '../workload/history-recorder.ts';
import type { FaultWindow } from '../workload/rto-check.ts';

export interface TimelineInput {
  history: readonly HistoryOp[];
  detail?: (id: number) => OpDetail | undefined;
  faults?: readonly FaultWindow[];
  /** Ops of a violation's window (outlined) and its culprits (filled red). */
  highlighted?: ReadonlySet<number>;
  culprits?: ReadonlySet<number>;
  /** Drawing width in px (the time axis scales to it). */
  width?: number;
}

const LABEL_WIDTH = 64;
const AXIS_HEIGHT = 28;
const ROW_HEIGHT = 16;
const BAR_HEIGHT = 11;
const RIGHT_MARGIN = 12;
const DEFAULT_WIDTH = 1400;

export const TIMELINE_COLORS = {
  write: '#4c78a8', read: '#59a14f', list: '#b07aa1', refused: '#f28e2b', failed: '#b8b8b8',
  fault: '#e15759', violation: '#d62728',
} as const;

export function timelineSvg(input: TimelineInput): string {
  const width = input.width ?? DEFAULT_WIDTH;
  const bars = barsOf(input);
  const clients = [...new Set(bars.map((b) => b.client))].sort((a, b) => a - b);
  const row = new Map(clients.map((c, i) => [c, i]));
  const faults = input.faults ?? [];
  const end = Math.max(1, ...bars.map((b) => b.to), ...faults.map((f) => f.endMs));
  const plot = width - LABEL_WIDTH - RIGHT_MARGIN;
  const x = (t: number) => LABEL_WIDTH + (Math.max(0, t) / end) * plot;
  const height = AXIS_HEIGHT + clients.length * ROW_HEIGHT + 8;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="10">`);
  for (const f of faults) {
    const fx = x(f.startMs);
    out.push(`<rect x="${n(fx)}" y="${AXIS_HEIGHT - 10}" width="${n(Math.max(1, x(f.endMs) - fx))}" height="${height - AXIS_HEIGHT + 10}" fill="${TIMELINE_COLORS.fault}" fill-opacity="0.15">`
      + `<title>${esc(`fault #${f.id}: ${f.label} [${(f.startMs / 1000).toFixed(1)} s, ${(f.endMs / 1000).toFixed(1)} s]`)}</title></rect>`);
    out.push(`<text x="${n(fx + 2)}" y="${AXIS_HEIGHT - 12}" fill="${TIMELINE_COLORS.fault}">${esc(`#${f.id} ${f.label}`)}</text>`);
  }
  for (const t of ticks(end)) {
    out.push(`<line x1="${n(x(t))}" x2="${n(x(t))}" y1="${AXIS_HEIGHT - 4}" y2="${height}" stroke="#ddd"/>`);
    out.push(`<text x="${n(x(t))}" y="10" text-anchor="middle" fill="#555">${(t / 1000).toFixed(t % 1000 === 0 ? 0 : 1)} s</text>`);
  }
  for (const c of clients) {
    const y = AXIS_HEIGHT + row.get(c)! * ROW_HEIGHT;
    out.push(`<text x="4" y="${y + BAR_HEIGHT - 1}" fill="#333">client ${c}</text>`);
  }
  for (const b of bars) {
    const y = AXIS_HEIGHT + row.get(b.client)! * ROW_HEIGHT;
    const bx = x(b.from);
    const w = Math.max(1.5, x(b.to) - bx);
    const fill = b.culprit ? TIMELINE_COLORS.violation : b.color;
    const outline = b.culprit || b.highlighted ? ` stroke="${TIMELINE_COLORS.violation}" stroke-width="${b.culprit ? 2.5 : 1.5}"`
      : b.unknown ? ` stroke="${fill}" stroke-dasharray="3 2"` : '';
    const paint = `fill="${fill}"${b.unknown ? ' fill-opacity="0.3"' : ''}`;
    out.push(`<rect x="${n(bx)}" y="${y}" width="${n(w)}" height="${BAR_HEIGHT}" rx="2" ${paint}${outline}><title>${esc(b.title)}</title></rect>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

interface Bar {
  client: number;
  from: number;
  to: number;
  color: string;
  unknown: boolean;
  highlighted: boolean;
  culprit: boolean;
  title: string;
}

/** One bar per op, except a listing's per-key ops, which share one bar (one request). */
function barsOf(input: TimelineInput): Bar[] {
  const bars: Bar[] = [];
  const listings = new Map<string, Bar>();
  for (const op of input.history) {
    const d = input.detail?.(op.id);
    const unknown = op.complete === null;
    const to = op.complete ?? d?.gaveUpAt ?? op.invoke + 1;
    const title = `${describeOp(op)}${d?.endpoint ? ` via ${d.endpoint}` : ''}${d?.error ? ` (${d.error})` : ''}`;
    const highlighted = input.highlighted?.has(op.id) ?? false;
    const culprit = input.culprits?.has(op.id) ?? false;
    if (op.call.f === 'exists') {
      const k = `${op.client}|${op.invoke}`;
      const bar = listings.get(k);
      if (bar) {
        bar.title += `\n${title}`;
        bar.highlighted ||= highlighted;
        bar.culprit ||= culprit;
        continue;
      }
      const fresh: Bar = { client: op.client, from: op.invoke, to, color: colorOf(op), unknown, highlighted, culprit, title: `list\n${title}` };
      listings.set(k, fresh);
      bars.push(fresh);
      continue;
    }
    bars.push({ client: op.client, from: op.invoke, to, color: colorOf(op), unknown, highlighted, culprit, title });
  }
  return bars;
}

function colorOf(op: HistoryOp): string {
  const r = op.result.type;
  if (r === 'failed') return TIMELINE_COLORS.failed;
  if (r === 'precondition-failed' || r === 'no-such-key') return TIMELINE_COLORS.refused;
  if (op.call.f === 'exists') return TIMELINE_COLORS.list;
  return isWrite(op.call) ? TIMELINE_COLORS.write : TIMELINE_COLORS.read;
}

/** Tick times (ms) at a round step giving about ten ticks. */
function ticks(end: number): number[] {
  const steps = [100, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000];
  const step = steps.find((s) => end / s <= 12) ?? Math.ceil(end / 10);
  const out: number[] = [];
  for (let t = 0; t <= end; t += step) out.push(t);
  return out;
}

function n(v: number): string {
  return v.toFixed(1);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The SVG in a page with a legend and the run's text verdict above it. */
export function timelineHtml(o: { title: string; verdict: string; svg: string }): string {
  const legend = [
    ['write', TIMELINE_COLORS.write], ['read', TIMELINE_COLORS.read], ['list', TIMELINE_COLORS.list],
    ['condition refused', TIMELINE_COLORS.refused], ['failed', TIMELINE_COLORS.failed], ['fault', TIMELINE_COLORS.fault],
    ['violation', TIMELINE_COLORS.violation],
  ].map(([label, color]) => `<span><i style="background:${color}"></i>${label}</span>`).join(' ');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(o.title)}</title>
<style>
body { font: 13px system-ui, sans-serif; margin: 16px; }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; }
.legend span { margin-right: 14px; } .legend i { display: inline-block; width: 12px; height: 10px; margin-right: 4px; border-radius: 2px; }
.scroll { overflow-x: auto; border: 1px solid #ddd; }
</style></head><body>
<h1>${esc(o.title)}</h1>
<pre>${esc(o.verdict)}</pre>
<p class="legend">${legend} — a pale dashed bar is an unknown outcome (timeout, 5xx); hover a bar for the op.</p>
<div class="scroll">${o.svg}</div>
</body></html>
`;
}
