/**
 * The SVG plot of issue #9: nines per stripe group vs repair time R (hours, log scale), one
 * series per scheme — the period model solid, the parallel-repair Markov chain dashed — with
 * the 12-nines target as a horizontal line and this hardware's R as a vertical one. Plain SVG
 * 1.1, inline styles, no scripts or fonts, like the bench report. Pure.
 *
 * R on the x axis is the whole window a failed drive is down (rebuild + detection); every
 * other input (AFR, zone outages) comes from `hw`. A value of R maps to a repair bandwidth by
 * bandwidth = driveBytes × fill / R, printed under the axis for the decade ticks.
 */
import { escapeXml, niceStep } from '../../services/cli/bench/report-svg.ts';
import { annualLossProbability, nines } from './period-model.ts';
import { exactMarkovAnnualLossProbability } from './markov-mttdl.ts';
import { combineLosses } from './zone-correlated.ts';
import { DEFAULT_HARDWARE, repairDays, SCHEMES, schemeZoneLoss, type Hardware, type Scheme } from './durability-table.ts';
import { validateHardware } from './hardware-validation.ts';

export interface NinesPlotOptions {
  readonly schemes?: readonly Scheme[];
  /** x range in hours of R (default 1 … 1000) */
  readonly minHours?: number;
  readonly maxHours?: number;
  /** samples per series (default 61, evenly spaced in log R) */
  readonly points?: number;
  /** the target line (default 12) */
  readonly targetNines?: number;
}

export interface NinesPoint {
  readonly hours: number;
  readonly period: number;
  readonly markov: number;
}

const WIDTH = 960;
const HEIGHT = 540;
const MARGIN = { left: 70, right: 230, top: 60, bottom: 80 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
/** Nines beyond this are off the chart (RS(10,4) at 1 h is ~25); clipped so one scheme does not flatten the rest. */
const MAX_NINES = 24;
const MIB = 1024 * 1024;

const num = (n: number): string => (Math.round(n * 10) / 10).toString();

/** The hardware with R fixed at `hours` (as if repair ran at the bandwidth that gives it, no detection delay). */
function withRepairHours(hw: Hardware, hours: number): Hardware {
  return { ...hw, detectionHours: 0, repairMiBps: (hw.driveBytes * hw.fill) / (hours * 3600 * MIB) };
}

/** Per-stripe-group nines of one scheme at each R in `hours`, drive failures and zone outages combined. */
export function ninesCurve(hw: Hardware, scheme: Scheme, hours: readonly number[]): NinesPoint[] {
  return hours.map((h) => {
    const at = withRepairHours(hw, h);
    const zone = schemeZoneLoss(at, scheme);
    const period = annualLossProbability({ n: scheme.n, m: scheme.m, afr: hw.afr, repairDays: h / 24 });
    const markov = exactMarkovAnnualLossProbability({ n: scheme.n, m: scheme.m, afr: hw.afr, mttrHours: h, repair: 'parallel' });
    return { hours: h, period: nines(combineLosses(period, zone)), markov: nines(combineLosses(markov, zone)) };
  });
}

export function renderNinesPlot(hw: Hardware = DEFAULT_HARDWARE, opts: NinesPlotOptions = {}): string {
  validateHardware(hw);
  const schemes = opts.schemes ?? SCHEMES;
  const minHours = opts.minHours ?? 1;
  const maxHours = opts.maxHours ?? 1000;
  const points = opts.points ?? 61;
  const target = opts.targetNines ?? 12;
  if (!(minHours > 0) || !(maxHours > minHours) || !Number.isInteger(points) || points < 2) throw new Error('nines plot: bad hour range or point count');
  const hours = Array.from({ length: points }, (_, i) => minHours * (maxHours / minHours) ** (i / (points - 1)));
  const curves = schemes.map((s) => ninesCurve(hw, s, hours));

  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const highest = Math.max(target, ...curves.flat().flatMap((p) => [p.period, p.markov]).filter(Number.isFinite));
  const step = niceStep(Math.min(highest, MAX_NINES), 6);
  const yMax = Math.ceil(Math.min(highest, MAX_NINES) / step) * step;
  const x = (h: number) => MARGIN.left + (Math.log10(h / minHours) / Math.log10(maxHours / minHours)) * plotW;
  const y = (v: number) => MARGIN.top + plotH - (Math.max(0, Math.min(v, yMax)) / yMax) * plotH;
  const text = (tx: number, ty: number, content: string, attrs = '') => `<text x="${num(tx)}" y="${num(ty)}" ${attrs}>${escapeXml(content)}</text>`;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    text(MARGIN.left, 24, 'Durability per stripe group vs repair time', 'font-size="16" font-weight="bold"'),
    text(MARGIN.left, 42, `AFR ${(hw.afr * 100).toFixed(2)} %/yr, ${(hw.driveBytes / 1e12).toFixed(1)} TB drives ${(hw.fill * 100).toFixed(0)} % full, zone outages ${hw.zoneOutagesPerYear > 0 ? `${hw.zoneOutagesPerYear}/yr of ${hw.zoneOutageHours} h` : 'off'}; solid: period model, dashed: parallel-repair Markov`, 'fill="#555"'),
  ];
  // y grid and labels
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    out.push(`<line x1="${MARGIN.left}" y1="${num(y(v))}" x2="${MARGIN.left + plotW}" y2="${num(y(v))}" stroke="#eee"/>`);
    out.push(text(MARGIN.left - 8, y(v) + 4, String(Number(v.toFixed(6))), 'text-anchor="end"'));
  }
  // x decades: hours, and the repair bandwidth that gives that R
  for (let d = Math.ceil(Math.log10(minHours)); 10 ** d <= maxHours * (1 + 1e-9); d++) {
    const h = 10 ** d;
    out.push(`<line x1="${num(x(h))}" y1="${MARGIN.top}" x2="${num(x(h))}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`);
    out.push(text(x(h), MARGIN.top + plotH + 16, `${h} h`, 'text-anchor="middle"'));
    const mibps = (hw.driveBytes * hw.fill) / (h * 3600 * MIB);
    out.push(text(x(h), MARGIN.top + plotH + 30, `${mibps >= 10 ? mibps.toFixed(0) : mibps.toPrecision(2)} MiB/s`, 'text-anchor="middle" fill="#888"'));
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  out.push(text(MARGIN.left + plotW / 2, HEIGHT - 16, 'repair time R per failed drive (hours, log scale; grey: repair bandwidth giving it)', 'text-anchor="middle"'));
  out.push(text(18, MARGIN.top + plotH / 2, 'nines (−log10 annual loss)', `text-anchor="middle" transform="rotate(-90 18 ${num(MARGIN.top + plotH / 2)})"`));
  // the target and this hardware's R
  out.push(`<line class="target" x1="${MARGIN.left}" y1="${num(y(target))}" x2="${MARGIN.left + plotW}" y2="${num(y(target))}" stroke="#000" stroke-width="1.5" stroke-dasharray="2 3"/>`);
  out.push(text(MARGIN.left + plotW - 4, y(target) - 5, `${target} nines target`, 'text-anchor="end"'));
  const R = repairDays(hw) * 24;
  if (R >= minHours && R <= maxHours) {
    out.push(`<line class="this-hardware" x1="${num(x(R))}" y1="${MARGIN.top}" x2="${num(x(R))}" y2="${MARGIN.top + plotH}" stroke="#555" stroke-dasharray="4 4"/>`);
    out.push(text(x(R) + 4, MARGIN.top + 14, `this hardware: R = ${R.toFixed(1)} h (${hw.repairMiBps} MiB/s)`, 'fill="#555"'));
  }
  // one series per scheme
  curves.forEach((curve, i) => {
    const color = COLORS[i % COLORS.length]!;
    const path = (key: 'period' | 'markov') => curve.map((p, j) => `${j === 0 ? 'M' : 'L'}${num(x(p.hours))},${num(y(p[key]))}`).join(' ');
    out.push(`<g class="series" data-scheme="${escapeXml(schemes[i]!.name)}">`);
    out.push(`<path d="${path('period')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    out.push(`<path d="${path('markov')}" fill="none" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    const ly = MARGIN.top + 10 + i * 20;
    out.push(`<line x1="${WIDTH - MARGIN.right + 16}" y1="${ly}" x2="${WIDTH - MARGIN.right + 40}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(text(WIDTH - MARGIN.right + 46, ly + 4, schemes[i]!.name));
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}
