// The nines-vs-repair-time SVG: well-formed-looking, one series per scheme, target line marked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ninesCurve, renderNinesPlot } from '../../../benchmarks/durability/nines-plot.ts';
import { DEFAULT_HARDWARE, durabilityTable, repairDays, SCHEMES } from '../../../benchmarks/durability/durability-table.ts';

test('renders one SVG with one series per scheme, the 12-nines line and this hardware’s R', () => {
  const svg = renderNinesPlot();
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.equal(svg.match(/<svg/g)!.length, 1);
  assert.equal(svg.match(/<g class="series"/g)!.length, SCHEMES.length);
  for (const s of SCHEMES) assert.ok(svg.includes(`data-scheme="${s.name}"`), s.name);
  assert.equal(svg.match(/<g\b/g)!.length, svg.match(/<\/g>/g)!.length);
  assert.equal(svg.match(/<text\b/g)!.length, svg.match(/<\/text>/g)!.length);
  assert.match(svg, /class="target"/);
  assert.match(svg, /12 nines target/);
  assert.match(svg, /this hardware: R = 29\.7 h \(100 MiB\/s\)/);
  assert.doesNotMatch(svg, /NaN|undefined|Infinity/);
  // every path coordinate stays inside the canvas
  for (const [, xs, ys] of svg.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)) {
    assert.ok(Number(xs) >= 0 && Number(xs) <= 960 && Number(ys) >= 0 && Number(ys) <= 540, `${xs},${ys}`);
  }
});

test('names are escaped and the curves fall as repair slows', () => {
  const svg = renderNinesPlot(DEFAULT_HARDWARE, { schemes: [{ name: 'a<b & "c"', n: 9, m: 3, maxShardsPerZone: 3 }] });
  assert.ok(svg.includes('a&lt;b &amp; &quot;c&quot;'));
  const curve = ninesCurve(DEFAULT_HARDWARE, SCHEMES[0]!, [1, 10, 100, 1000]);
  for (let i = 1; i < curve.length; i++) assert.ok(curve[i]!.period < curve[i - 1]!.period && curve[i]!.markov < curve[i - 1]!.markov);
});

test('at this hardware’s R the curve is the table’s figure', () => {
  const R = repairDays(DEFAULT_HARDWARE) * 24;
  const [point] = ninesCurve(DEFAULT_HARDWARE, SCHEMES[0]!, [R]);
  assert.ok(Math.abs(point!.period - durabilityTable()[0]!.nines) < 1e-9);
  assert.throws(() => renderNinesPlot(DEFAULT_HARDWARE, { minHours: 10, maxHours: 5 }), /hour range/);
});
