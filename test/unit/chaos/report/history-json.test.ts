// A run's history survives the round trip through JSON exactly, and the checker gives the same
// verdict on what is read back; foreign or damaged files are refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkHistory } from '../../../chaos/linearizability/index.ts';
import { historyDocument, historyOf, readHistoryJson, writeHistoryJson } from '../../../chaos/report/history-json.ts';
import { HistoryBuilder } from '../register-history-builder.ts';

test('write, read back, check: same ops, same verdict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-chaos-json-'));
  try {
    const h = new HistoryBuilder();
    h.put('a', 0, 1); h.put('b', 2); h.get('a', 3, 4); h.putIfMatch('c', 'a', 'no-such-key', 5, 6);
    const path = join(dir, 'history.json');
    const doc = historyDocument({
      seed: 9, scenario: 'zone-kill', durationMs: 10, faults: [{ id: 1, label: 'kill -9 zone-1', startMs: 1, endMs: 3 }],
      history: h.ops, detail: (id) => (id === 1 ? { endpoint: 'http://x', gaveUpAt: 2.5, error: 'timeout' } : undefined),
      verdicts: { linearizability: 'violation' },
    });
    writeHistoryJson(path, doc);
    const back = readHistoryJson(path);
    assert.deepEqual(back, doc);
    assert.deepEqual(historyOf(back), h.ops);
    assert.equal(back.ops[1]!.complete, null);
    assert.equal(checkHistory(historyOf(back)).verdict, checkHistory(h.ops).verdict);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('foreign and damaged documents are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-chaos-json-'));
  try {
    const foreign = join(dir, 'a.json');
    writeFileSync(foreign, '{"format":"other"}');
    assert.throws(() => readHistoryJson(foreign), /not a zonestore-chaos-history/);
    const bad = join(dir, 'b.json');
    writeFileSync(bad, JSON.stringify({ format: 'zonestore-chaos-history/1', faults: [], ops: [{ id: 0, client: 0, key: 'k', call: { f: 'get' }, result: { type: 'ok' }, invoke: 0, complete: 1 }] }));
    assert.throws(() => readHistoryJson(bad), /cannot end in ok/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
