// The surface the CLI calls: validate, report, plot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hardwareFrom, renderModelReport, renderNinesPlot } from '../../../benchmarks/durability/index.ts';

test('CLI path: flags → hardware → report text and SVG; bad flags fail before any output', () => {
  const hw = hardwareFrom({ repairMiBps: 25, detectionHours: 0.5 });
  assert.match(renderModelReport(hw), /repair 25 MiB\/s.*detection 0\.5 h/);
  assert.match(renderNinesPlot(hw), /25 MiB\/s/);
  assert.throws(() => hardwareFrom({ fill: 1.2 }), /fill/);
  assert.throws(() => renderNinesPlot({ ...hw, afr: -1 }), /afr/);
});
