import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { CHECKSUM_BLOCK_BYTES } from '../../../services/data/chunk-format.ts';
import { ChunkStore } from '../../../services/data/chunk-store.ts';
import { Scrubber, type ScrubFinding } from '../../../services/data/scrubber.ts';
import { chunkId, patternBytes, putBytes, tempDir } from './store-fixture.ts';

const TIMEOUT = { timeout: 30_000 };

async function withStore(fn: (store: ChunkStore) => Promise<void>): Promise<void> {
  const t = tempDir();
  const store = await ChunkStore.open({ dir: t.dir, freeSpaceReserveBytes: 0 });
  try {
    await fn(store);
  } finally {
    await store.close();
    t.remove();
  }
}

function overwrite(path: string, position: number, bytes: Uint8Array): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, position);
  } finally {
    closeSync(fd);
  }
}

test('scrub finds bitrot and missing files, counts them and calls back', TIMEOUT, async () => {
  await withStore(async (store) => {
    for (let i = 1; i <= 6; i++) await putBytes(store, chunkId(i), patternBytes(2 * CHECKSUM_BLOCK_BYTES + i, i));
    overwrite(store.pathOf(chunkId(2)), CHECKSUM_BLOCK_BYTES + 3, Uint8Array.of(0xde, 0xad));
    unlinkSync(store.pathOf(chunkId(4)));
    overwrite(store.pathOf(chunkId(6)), 2 * CHECKSUM_BLOCK_BYTES + 6 + 4, Uint8Array.of(0xff, 0xff, 0xff));
    const heard: ScrubFinding[] = [];
    const scrubber = new Scrubber(store, { rateBytesPerSec: 1024 * 1024 * 1024, onFinding: (f) => heard.push(f) });
    const report = await scrubber.runPass();
    assert.equal(report.chunksChecked, 6);
    assert.deepEqual(report.findings.map((f) => [f.chunkId, f.kind]), [
      [chunkId(2), 'corrupt'], [chunkId(4), 'missing'], [chunkId(6), 'corrupt'],
    ]);
    assert.match(report.findings[0]!.detail, /^block 1 /);
    assert.match(report.findings[2]!.detail, /footer/);
    assert.deepEqual(heard, report.findings);
    assert.equal(report.findingsTotal, 3);
    assert.deepEqual(
      [scrubber.metrics.passesCompleted, scrubber.metrics.chunksChecked, scrubber.metrics.corruptFound, scrubber.metrics.missingFound],
      [1, 6, 2, 1],
    );
    await scrubber.stop();
  });
});

test('a chunk deleted while scrub walks is not reported', TIMEOUT, async () => {
  await withStore(async (store) => {
    for (let i = 1; i <= 3; i++) await putBytes(store, chunkId(i), patternBytes(1000, i));
    const heard: ScrubFinding[] = [];
    // Delete chunk 3 while the scrubber is reading chunk 2.
    const scrubber = new Scrubber(store, { rateBytesPerSec: 1e9, onFinding: (f) => heard.push(f) });
    const original = store.observe.bind(store);
    store.observe = async (entry, beforeRead) => {
      if (entry.chunkId === chunkId(2)) await store.delete(chunkId(3));
      return original(entry, beforeRead);
    };
    const report = await scrubber.runPass();
    assert.deepEqual(heard, []);
    assert.ok(report.chunksChecked >= 2);
  });
});

test('scrub keeps to its rate', TIMEOUT, async () => {
  await withStore(async (store) => {
    const size = 256 * 1024;
    for (let i = 1; i <= 4; i++) await putBytes(store, chunkId(i), patternBytes(size, i));
    // 1 MiB per pass at 2 MiB/s, with one second (2 MiB) of burst: three passes need >= 0.5 s.
    const rate = 2 * 1024 * 1024;
    const scrubber = new Scrubber(store, { rateBytesPerSec: rate });
    const started = Date.now();
    for (let pass = 0; pass < 3; pass++) await scrubber.runPass();
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 450, `three passes took ${elapsed} ms, expected at least about 500 ms`);
    assert.ok(elapsed < 5_000, `three passes took ${elapsed} ms`);
  });
});

test('runPass while a pass runs waits for it and then runs a fresh one; stop ends a slow pass', TIMEOUT, async () => {
  await withStore(async (store) => {
    for (let i = 1; i <= 3; i++) await putBytes(store, chunkId(i), patternBytes(64 * 1024, i));
    const scrubber = new Scrubber(store, { rateBytesPerSec: 1e9 });
    const a = scrubber.runPass();
    const b = scrubber.runPass();
    const c = scrubber.runPass();
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    assert.equal(ra.chunksChecked, 3);
    assert.equal(rb, rc, 'callers waiting for the same fresh pass share it');
    assert.equal(scrubber.metrics.passesCompleted, 2);

    const slow = new Scrubber(store, { rateBytesPerSec: 1024 });
    const pass = slow.runPass();
    const stopped = Date.now();
    await slow.stop();
    await assert.rejects(pass);
    assert.ok(Date.now() - stopped < 2_000, 'stop must not wait for a slow pass');
  });
});

test('background passes start after the interval and stop cleanly', TIMEOUT, async () => {
  await withStore(async (store) => {
    await putBytes(store, chunkId(1), patternBytes(1000, 1));
    const scrubber = new Scrubber(store, { rateBytesPerSec: 1e9, intervalMs: 50 });
    scrubber.start();
    const deadline = Date.now() + 5_000;
    while (scrubber.metrics.passesCompleted < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await scrubber.stop();
    assert.ok(scrubber.metrics.passesCompleted >= 2);
  });
});
