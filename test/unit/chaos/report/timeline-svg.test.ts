// The timeline's markup: valid XML, a row per client, one bar per request (a listing is one),
// fault bands, the violation drawn red, and text from the history escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { checkHistory, describeCheck } from '../../../chaos/linearizability/index.ts';
import { TIMELINE_COLORS, timelineHtml, timelineSvg } from '../../../chaos/report/timeline-svg.ts';
import { HistoryBuilder } from '../register-history-builder.ts';

function sample() {
  const h = new HistoryBuilder();
  h.put('a', 0, 100, { client: 0 });
  h.put('<b&"c">', 150, 300, { client: 1 });
  h.get('a', 400, 450, { client: 2 }); // stale: the culprit
  h.put('lost?', 500, undefined, { client: 0 });
  h.exists(true, 600, 700, { client: 1 });
  h.exists(false, 600, 700, { client: 1, key: 'k2' });
  return h.ops;
}

test('valid SVG with rows, bars, faults and the violation marked', () => {
  const ops = sample();
  const r = checkHistory(ops);
  const w = r.keys.find((k) => k.window)!.window!;
  const svg = timelineSvg({
    history: ops, detail: (id) => (id === 3 ? { gaveUpAt: 900, error: 'timeout' } : undefined),
    faults: [{ id: 1, label: 'isolate zone-2', startMs: 120, endMs: 480 }],
    highlighted: new Set(w.ops.map((o) => o.id)), culprits: new Set([w.culprit.id]),
  });
  assert.equal(XMLValidator.validate(svg), true);
  assert.equal((svg.match(/>client \d</g) ?? []).length, 3);
  assert.equal((svg.match(/<rect [^>]*rx="2"/g) ?? []).length, 5, 'five requests (the listing is one bar)');
  assert.match(svg, /fault #1: isolate zone-2/);
  assert.ok(svg.includes(`fill="${TIMELINE_COLORS.violation}" stroke="${TIMELINE_COLORS.violation}"`));
  assert.match(svg, /fill-opacity="0.3" stroke="[^"]+" stroke-dasharray/);
  assert.ok(svg.includes('&lt;b&amp;') && !svg.includes('<b&'), 'history text is escaped');
  const html = timelineHtml({ title: 'seed 1 <partition>', verdict: describeCheck(r), svg });
  assert.match(html, /^<!doctype html>/);
  assert.ok(html.includes('seed 1 &lt;partition&gt;') && html.includes('VIOLATION'));
});

test('an empty history still draws', () => {
  assert.equal(XMLValidator.validate(timelineSvg({ history: [] })), true);
});
