// `--svg`: one hand-written SVG with two charts — each target's throughput over the measured
// phase (one point per second; gaps where the other targets' slices ran) and its latency
// percentiles as grouped bars on a log scale. Plain SVG 1.1 with inline styles, so any browser
// shows it without scripts or fonts. Pure.
import { describeScenario } from './scenario-description.ts';
import type { BenchReport, TimelinePoint } from './report-build.ts';
import { TIMELINE_BUCKET_MS } from './op-recorder.ts';

const WIDTH = 960;
const MARGIN = { left: 80, right: 200, top: 84 };
const CHART_HEIGHT = 240;
const GAP = 90;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const PERCENTILES = [['p50', 'p50'], ['p90', 'p90'], ['p99', 'p99'], ['p999', 'p99.9'], ['max', 'max']] as const;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A round step (1, 2 or 5 × 10^n) giving about `count` ticks up to `max`. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
}

const num = (n: number): string => (Math.round(n * 10) / 10).toString();

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}" ${attrs}>${escapeXml(content)}</text>`;
}

/** Splits a target's timeline where it did not run, so no line bridges another target's slice. */
export function contiguousRuns(points: readonly TimelinePoint[]): TimelinePoint[][] {
  const runs: TimelinePoint[][] = [];
  for (const p of points) {
    const run = runs.at(-1);
    if (run && p.tS - run.at(-1)!.tS <= (TIMELINE_BUCKET_MS / 1000) * 1.5) run.push(p);
    else runs.push([p]);
  }
  return runs;
}

export function renderSvg(report: BenchReport): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const top1 = MARGIN.top;
  const top2 = top1 + CHART_HEIGHT + GAP;
  const height = top2 + CHART_HEIGHT + 70;
  const color = (i: number): string => COLORS[i % COLORS.length]!;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(MARGIN.left, 24, `zonestore bench — ${describeScenario(report.scenario)}`, 'font-size="14" font-weight="bold"'),
    text(MARGIN.left, 44, `${report.machine.cores} cores, Node ${report.machine.node}, ${report.startedAt}`, 'fill="#555"'),
  ];

  // Throughput over time: MiB/s when the scenario moves bytes, else operations per second.
  const byBytes = report.targets.some((t) => t.total.bytes > 0);
  const value = (p: TimelinePoint): number => (byBytes ? p.mibPerSec : p.opsPerSec);
  const all = report.targets.flatMap((t) => t.timeline);
  const maxT = Math.max(1, ...all.map((p) => p.tS + TIMELINE_BUCKET_MS / 1000));
  const maxY = Math.max(1e-9, ...all.map(value));
  const yStep = niceStep(maxY);
  const yTop = Math.ceil(maxY / yStep) * yStep;
  const x1 = (t: number): number => MARGIN.left + (t / maxT) * plotW;
  const y1 = (v: number): number => top1 + CHART_HEIGHT - (v / yTop) * CHART_HEIGHT;
  out.push(text(MARGIN.left, top1 - 6, `Throughput over the measured phase (${byBytes ? 'MiB/s' : 'operations/s'}, per second)`, 'font-weight="bold"'));
  out.push(...axes(top1, plotW));
  for (let v = 0; v <= yTop + 1e-9; v += yStep) {
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${num(y1(v))}" y2="${num(y1(v))}" stroke="#eee"/>`);
    out.push(text(MARGIN.left - 6, y1(v) + 4, num(v), 'text-anchor="end"'));
  }
  const tStep = niceStep(maxT, 8);
  for (let t = 0; t <= maxT + 1e-9; t += tStep) out.push(text(x1(t), top1 + CHART_HEIGHT + 16, `${num(t)} s`, 'text-anchor="middle"'));
  report.targets.forEach((t, i) => {
    for (const run of contiguousRuns(t.timeline)) {
      // Each bucket's rate is drawn at its middle.
      const pts = run.map((p) => `${num(x1(p.tS + TIMELINE_BUCKET_MS / 2000))},${num(y1(value(p)))}`).join(' ');
      out.push(run.length === 1
        ? `<circle cx="${pts.split(',')[0]}" cy="${pts.split(',')[1]}" r="2.5" fill="${color(i)}"/>`
        : `<polyline points="${pts}" fill="none" stroke="${color(i)}" stroke-width="2"/>`);
    }
  });
  out.push(...legend(report, top1, color));

  // Latency percentiles, log scale, whole operations.
  const lat = report.targets.map((t) => PERCENTILES.map(([k]) => t.total.latencyMs[k]));
  const positive = lat.flat().filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...positive, 1)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...positive, lo * 10)));
  const y2 = (v: number): number => top2 + CHART_HEIGHT - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * CHART_HEIGHT;
  out.push(text(MARGIN.left, top2 - 6, 'Latency of whole operations (ms, log scale)', 'font-weight="bold"'));
  out.push(...axes(top2, plotW));
  for (let v = lo; v <= hi * 1.0001; v *= 10) {
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${num(y2(v))}" y2="${num(y2(v))}" stroke="#eee"/>`);
    out.push(text(MARGIN.left - 6, y2(v) + 4, v >= 1 ? String(v) : v.toPrecision(1), 'text-anchor="end"'));
  }
  const groupW = plotW / PERCENTILES.length;
  const barW = Math.min(40, (groupW * 0.8) / Math.max(1, report.targets.length));
  PERCENTILES.forEach(([, label], g) => {
    const gx = MARGIN.left + g * groupW + (groupW - barW * report.targets.length) / 2;
    out.push(text(MARGIN.left + g * groupW + groupW / 2, top2 + CHART_HEIGHT + 16, label, 'text-anchor="middle"'));
    report.targets.forEach((_, i) => {
      const v = lat[i]![g]!;
      const y = y2(v);
      out.push(`<rect x="${num(gx + i * barW)}" y="${num(y)}" width="${num(barW - 2)}" height="${num(top2 + CHART_HEIGHT - y)}" fill="${color(i)}"/>`);
      out.push(text(gx + i * barW + (barW - 2) / 2, y - 3, v >= 100 ? v.toFixed(0) : v.toFixed(1), 'text-anchor="middle" font-size="9"'));
    });
  });
  out.push(...legend(report, top2, color));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function axes(top: number, plotW: number): string[] {
  return [
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${top}" y2="${top + CHART_HEIGHT}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${top + CHART_HEIGHT}" y2="${top + CHART_HEIGHT}" stroke="#333"/>`,
  ];
}

function legend(report: BenchReport, top: number, color: (i: number) => string): string[] {
  const x = WIDTH - MARGIN.right + 16;
  return report.targets.flatMap((t, i) => [
    `<rect x="${x}" y="${top + i * 20}" width="12" height="12" fill="${color(i)}"/>`,
    text(x + 18, top + i * 20 + 10, t.label.length > 26 ? t.label.slice(0, 25) + '…' : t.label),
  ]);
}
