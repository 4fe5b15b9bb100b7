// The renderers on synthetic reports: JSON figures, the summary tables, the SVG chart (well
// formed, one line per contiguous stretch of each target), the suite's RESULTS.md section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLValidator } from 'fast-xml-parser';
import { contiguousRuns, escapeXml, niceStep, renderSvg } from '../../../../services/cli/bench/report-svg.ts';
import { markdownReport, terminalSummary } from '../../../../services/cli/bench/report-text.ts';
import { SUITE_CELLS } from '../../../../services/cli/bench/suite/suite-plan.ts';
import {
  SECTION_BEGIN, SECTION_END, judgeTargets, renderSection, replaceSection, type CellResult,
} from '../../../../services/cli/bench/suite/suite-section.ts';
import { syntheticReport, syntheticTarget } from './report-fixture.ts';

test('a target report: rates over its measured time, CPU in % of one core, timeline per second', () => {
  const t = syntheticTarget('zonestore', 'zonestore-local', 50, 10, { slicesAtS: [0, 4], sliceS: 2 });
  assert.equal(t.total.ops, 200);
  assert.equal(t.total.opsPerSec, 50);
  assert.equal(t.total.mibPerSec, 50);
  assert.equal(t.clientCpuPercent, 12.5);
  assert.equal(t.servers[0]!.cpuPercent, 25);
  assert.equal(t.servers[0]!.peakRssMiB, 100);
  assert.equal(t.serverCpuMsPerOp, 5);
  assert.deepEqual(t.timeline.map((p) => p.tS), [0, 1, 4, 5]);
  assert.ok(t.timeline.every((p) => Math.abs(p.opsPerSec - 50) < 1e-9), 'each second divided by the time it was measured');
  assert.ok(t.total.latencyMs.p50 >= 10 && t.total.latencyMs.max <= 19.01);
  assert.deepEqual(Object.keys(t.byKind), ['put']);
});

test('summary tables name every target, and errors with their codes', () => {
  const report = syntheticReport([
    syntheticTarget('zonestore', 'zonestore-local', 50, 10, { errors: 2 }),
    syntheticTarget('http://other:9000', 'endpoint', 80, 5),
  ]);
  const text = terminalSummary(report);
  assert.match(text, /zonestore/);
  assert.match(text, /InternalError \(HTTP 500\) ×2/);
  const md = markdownReport(report);
  assert.match(md, /^# zonestore bench: put/m);
  assert.match(md, /\| target \| op \| ops\/s \|/);
  assert.match(md, /\| http:\/\/other:9000 \| put \| 80\.0 \|/);
  assert.match(md, /n\/a/, 'no server figures for an endpoint the tool did not start');
});

test('the SVG is well-formed XML with a line per contiguous stretch of each target and escaped labels', () => {
  const report = syntheticReport([
    syntheticTarget('zone<store> & co', 'zonestore-local', 50, 10, { slicesAtS: [0, 6], sliceS: 3 }),
    syntheticTarget('s3rver', 's3rver', 80, 5, { slicesAtS: [3, 9], sliceS: 3 }),
  ]);
  const svg = renderSvg(report);
  assert.equal(XMLValidator.validate(svg), true);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 4);
  assert.match(svg, /zone&lt;store&gt; &amp; co/);
  assert.equal((svg.match(/<rect x=/g) ?? []).length, 2 * 5 + 2 * 2, 'five percentile bars and two legend boxes per target');
});

test('chart helpers: runs split at gaps, round tick steps, XML escaping', () => {
  const runs = contiguousRuns([0, 1, 2, 5, 6, 9].map((tS) => ({ tS, opsPerSec: 1, mibPerSec: 1, errors: 0 })));
  assert.deepEqual(runs.map((r) => r.map((p) => p.tS)), [[0, 1, 2], [5, 6], [9]]);
  assert.equal(niceStep(1000), 200);
  assert.equal(niceStep(7, 5), 2);
  assert.equal(niceStep(0), 1);
  assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
});

test('the suite section replaces only its own marked part of the file, or is appended', () => {
  const before = `# Results\n\nintro\n\n${SECTION_BEGIN}\nold\n${SECTION_END}\n\n## Other\nkept\n`;
  const after = replaceSection(before, `${SECTION_BEGIN}\nnew\n${SECTION_END}`);
  assert.equal(after, `# Results\n\nintro\n\n${SECTION_BEGIN}\nnew\n${SECTION_END}\n\n## Other\nkept\n`);
  assert.equal(replaceSection('# R\n', `${SECTION_BEGIN}\nx\n${SECTION_END}`), `# R\n\n${SECTION_BEGIN}\nx\n${SECTION_END}\n`);
});

test('targets are judged against the limit, the latency bound and s3rver, from the same cell', () => {
  const cell = (id: string): CellResult['cell'] => SUITE_CELLS.find((c) => c.id === id)!;
  const MiB = 2 ** 20;
  const cells: CellResult[] = [
    { cell: cell('get-64m-c4'), targets: [
      syntheticTarget('zonestore', 'zonestore-local', 6, 500, { bytes: 64 * MiB }),
      syntheticTarget('s3rver', 's3rver', 5, 600, { bytes: 64 * MiB }),
      syntheticTarget('nginx (limit)', 'nginx', 10, 300, { bytes: 64 * MiB }),
    ] },
    { cell: cell('put-4k-c16'), targets: [
      syntheticTarget('zonestore', 'zonestore-local', 100, 40, { bytes: 4096 }),
      syntheticTarget('s3rver', 's3rver', 200, 10, { bytes: 4096 }),
      syntheticTarget('fsync sink (limit)', 'fsync-sink', 300, 5, { bytes: 4096 }),
    ] },
  ];
  const verdicts = new Map(judgeTargets(cells).map((v) => [v.target.text, v]));
  assert.equal(verdicts.get('GET 64 MiB ≥ 0.5× the nginx limit')!.met, true);
  assert.match(verdicts.get('GET 64 MiB ≥ 0.5× the nginx limit')!.measured, /^0\.60× of the limit \(384 MiB\/s vs 640 MiB\/s\)/);
  // latencies 40..76 ms: p99 above 50.
  assert.equal(verdicts.get('4 KiB PUT p99 ≤ 50 ms at concurrency 16')!.met, false);
  assert.equal(verdicts.get('GET 64 MiB, c=4: ahead of s3rver')!.met, true);
  assert.equal(verdicts.get('PUT 4 KiB, c=16: ahead of s3rver')!.met, false);
  assert.equal(verdicts.has('PUT 64 MiB ≥ 0.5× the fsync sink'), false, 'a cell not run is not judged');
  const section = renderSection({
    command: 'zonestore bench suite', machine: syntheticReport([]).machine, loadAtEnd: [1, 1, 1], startedAt: 'now', runSeconds: 125,
    secondsPerTarget: 8, rounds: 2, cells, profiles: [], notes: ['a note'],
  });
  assert.ok(section.startsWith(SECTION_BEGIN) && section.endsWith(SECTION_END));
  assert.match(section, /2 min 5 s end to end/);
  assert.match(section, /\| GET 64 MiB \| 4 \| \*\*zonestore\*\* \| 6\.00 \| 384 \|/);
  assert.match(section, /\| \*\*no\*\* \|/);
});

test('a profile reading names the areas covering most of the busy time, then our heaviest functions', async () => {
  const { profileReading } = await import('../../../../services/cli/bench/suite/profile-reading.ts');
  const text = profileReading('zone-2', {
    totalMs: 1000, busyMs: 800,
    areas: [{ label: 'GC', micros: 300_000 }, { label: 'fs', micros: 200_000 }, { label: 'grpc', micros: 100_000 }, { label: 'misc', micros: 50_000 }],
    topSelf: [], ownInclusive: [{ label: 'sendChunk  services/data/data-service.ts', micros: 160_000 }],
  });
  assert.equal(text, 'zone-2: busy 80% of the sampled time; by self time GC 38%, fs 25%; '
    + 'heaviest of our code (inclusive): sendChunk services/data/data-service.ts 20%.');
});
