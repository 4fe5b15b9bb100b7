import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, openSync, readSync, writeFileSync, writeSync, closeSync, existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { crc32c } from '@node-rs/crc32';
import { ChunkError, type ChunkErrorCode } from '../../../services/data/chunk-error.ts';
import { CHECKSUM_BLOCK_BYTES, MAX_CHUNK_BYTES } from '../../../services/data/chunk-format.ts';
import { ChunkStore, type ChunkDamage } from '../../../services/data/chunk-store.ts';
import { chunkId, filesUnder, patternBytes, putBytes, readBytes, tempDir, writeAll } from './store-fixture.ts';

const TIMEOUT = { timeout: 30_000 };

function isCode(code: ChunkErrorCode) {
  return (err: unknown) => err instanceof ChunkError && err.code === code;
}

async function withStore(fn: (store: ChunkStore, dir: string, damage: ChunkDamage[]) => Promise<void>): Promise<void> {
  const t = tempDir();
  const damage: ChunkDamage[] = [];
  const store = await ChunkStore.open({ dir: t.dir, onReadDamage: (d) => damage.push(d), freeSpaceReserveBytes: 0 });
  try {
    await fn(store, t.dir, damage);
  } finally {
    await store.close();
    t.remove();
  }
}

/** Flips one byte of a file in place, as bitrot would. */
function flipByte(path: string, position: number): void {
  const fd = openSync(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, position);
    b[0]! ^= 0x5a;
    writeSync(fd, b, 0, 1, position);
  } finally {
    closeSync(fd);
  }
}

test('chunks round-trip with length, checksum and usage accounting, and survive reopening', TIMEOUT, async () => {
  const t = tempDir();
  try {
    const sizes = [0, 1, CHECKSUM_BLOCK_BYTES - 1, CHECKSUM_BLOCK_BYTES, CHECKSUM_BLOCK_BYTES + 1, 1024 * 1024, 1_000_003];
    let store = await ChunkStore.open({ dir: t.dir, freeSpaceReserveBytes: 0 });
    for (const [i, size] of sizes.entries()) await putBytes(store, chunkId(i), patternBytes(size, i), 65_537);
    const expectUsed = sizes.reduce((a, b) => a + b, 0);
    assert.equal((await store.usage()).usedBytes, expectUsed);
    await store.close();
    store = await ChunkStore.open({ dir: t.dir, freeSpaceReserveBytes: 0 });
    try {
      assert.deepEqual(store.recovery, { tempFilesRemoved: 0, orphanFilesRemoved: 0, unknownEntries: [] });
      const usage = await store.usage();
      assert.equal(usage.usedBytes, expectUsed);
      assert.equal(usage.chunkCount, sizes.length);
      for (const [i, size] of sizes.entries()) {
        const data = patternBytes(size, i);
        assert.deepEqual(await readBytes(store, chunkId(i)), data);
        const entry = await store.stat(chunkId(i));
        assert.equal(entry.length, size);
        assert.equal(entry.crc32c, crc32c(data));
        await store.verify(chunkId(i));
      }
      assert.deepEqual(filesUnder(store.layout.tmpDir), []);
    } finally {
      await store.close();
    }
  } finally {
    t.remove();
  }
});

test('property: any byte range reads back exactly', TIMEOUT, async () => {
  await withStore(async (store) => {
    const size = 5 * CHECKSUM_BLOCK_BYTES + 321;
    const data = patternBytes(size, 99);
    await putBytes(store, chunkId(1), data);
    await fc.assert(fc.asyncProperty(fc.nat(size), fc.nat(size), async (a, b) => {
      const offset = Math.min(a, b);
      const length = Math.max(a, b) - offset;
      const got = await readBytes(store, chunkId(1), offset, length);
      // length 0 means "to the end"
      assert.deepEqual(got, data.subarray(offset, length === 0 ? size : offset + length));
    }), { seed: 5, numRuns: 80 });
  });
});

test('ranges outside the chunk fail with RangeNotSatisfiable; unknown chunks with ChunkNotFound', TIMEOUT, async () => {
  await withStore(async (store) => {
    await putBytes(store, chunkId(1), patternBytes(1000, 1));
    await assert.rejects(store.openRead(chunkId(1), 1001), isCode('RangeNotSatisfiable'));
    await assert.rejects(store.openRead(chunkId(1), 500, 501), isCode('RangeNotSatisfiable'));
    assert.equal((await readBytes(store, chunkId(1), 1000)).length, 0);
    await assert.rejects(store.openRead(chunkId(2)), isCode('ChunkNotFound'));
    await assert.rejects(store.stat(chunkId(2)), isCode('ChunkNotFound'));
    await assert.rejects(store.delete(chunkId(2)), isCode('ChunkNotFound'));
    await assert.rejects(store.stat('../../etc/passwd'), isCode('InvalidChunkId'));
    await assert.rejects(store.beginPut({ chunkId: '../x', length: 1, crc32c: 0 }), isCode('InvalidChunkId'));
  });
});

test('a checksum mismatch on write is rejected and leaves nothing behind', TIMEOUT, async () => {
  await withStore(async (store) => {
    const data = patternBytes(300_000, 3);
    const begun = await store.beginPut({ chunkId: chunkId(1), length: data.length, crc32c: crc32c(data) ^ 1 });
    assert.equal(begun.kind, 'put');
    if (begun.kind !== 'put') return;
    await writeAll(begun.put, data);
    await assert.rejects(begun.put.commit(), isCode('ChecksumMismatch'));
    assert.deepEqual(filesUnder(store.layout.tmpDir), []);
    assert.deepEqual(filesUnder(store.layout.chunksDir), []);
    await assert.rejects(store.stat(chunkId(1)), isCode('ChunkNotFound'));
    assert.equal((await store.usage()).usedBytes, 0);
    // The id is free again: the correct put succeeds.
    await putBytes(store, chunkId(1), data);
    assert.deepEqual(await readBytes(store, chunkId(1)), data);
  });
});

test('short and over-long streams are rejected and leave nothing behind', TIMEOUT, async () => {
  await withStore(async (store) => {
    const data = patternBytes(10_000, 4);
    const short = await store.beginPut({ chunkId: chunkId(1), length: data.length + 1, crc32c: crc32c(data) });
    assert.equal(short.kind, 'put');
    if (short.kind !== 'put') return;
    await short.put.write(data);
    await assert.rejects(short.put.commit(), isCode('InvalidRequest'));
    const long = await store.beginPut({ chunkId: chunkId(2), length: data.length - 1, crc32c: crc32c(data) });
    if (long.kind !== 'put') return assert.fail('expected a put');
    await assert.rejects(long.put.write(data), isCode('InvalidRequest'));
    assert.deepEqual(filesUnder(store.layout.tmpDir), []);
    assert.deepEqual(filesUnder(store.layout.chunksDir), []);
    await assert.rejects(store.beginPut({ chunkId: chunkId(3), length: MAX_CHUNK_BYTES + 1, crc32c: 0 }), isCode('InvalidRequest'));
    await assert.rejects(store.beginPut({ chunkId: chunkId(3), length: -1, crc32c: 0 }), isCode('InvalidRequest'));
  });
});

test('chunks are write-once: identical re-put is reported, different content refused, concurrent puts refused', TIMEOUT, async () => {
  await withStore(async (store) => {
    const data = patternBytes(5000, 5);
    await putBytes(store, chunkId(1), data);
    const again = await store.beginPut({ chunkId: chunkId(1), length: data.length, crc32c: crc32c(data) });
    assert.equal(again.kind, 'existing');
    await assert.rejects(store.beginPut({ chunkId: chunkId(1), length: data.length, crc32c: crc32c(data) ^ 1 }), isCode('ChunkExists'));
    await assert.rejects(store.beginPut({ chunkId: chunkId(1), length: 1, crc32c: 0 }), isCode('ChunkExists'));
    const first = await store.beginPut({ chunkId: chunkId(2), length: data.length, crc32c: crc32c(data) });
    await assert.rejects(store.beginPut({ chunkId: chunkId(2), length: data.length, crc32c: crc32c(data) }), isCode('ChunkBusy'));
    await assert.rejects(store.delete(chunkId(2)), isCode('ChunkBusy'));
    if (first.kind !== 'put') return assert.fail('expected a put');
    await first.put.abort();
    await putBytes(store, chunkId(2), data);
  });
});

test('replaceDamaged: a damaged or missing chunk is replaced in place, a healthy one is kept, other content refused', TIMEOUT, async () => {
  await withStore(async (store) => {
    const data = patternBytes(3 * CHECKSUM_BLOCK_BYTES + 7, 8);
    const header = (id: string) => ({ chunkId: id, length: data.length, crc32c: crc32c(data) });
    for (const i of [1, 2, 3]) await putBytes(store, chunkId(i), data);
    const before = await store.usage();
    // Healthy: nothing to replace.
    assert.equal((await store.beginPut(header(chunkId(1)), { replaceDamaged: true })).kind, 'existing');
    // Bitrot in a block, and a file gone.
    flipByte(store.pathOf(chunkId(2)), CHECKSUM_BLOCK_BYTES + 3);
    unlinkSync(store.pathOf(chunkId(3)));
    for (const i of [2, 3]) {
      // Without the option a put still reports the entry as there.
      assert.equal((await store.beginPut(header(chunkId(i)))).kind, 'existing');
      const begun = await store.beginPut(header(chunkId(i)), { replaceDamaged: true });
      if (begun.kind !== 'put') return assert.fail('expected a replacing put');
      assert.equal(begun.replacing, true);
      await writeAll(begun.put, data);
      await begun.put.commit();
      assert.deepEqual(await readBytes(store, chunkId(i)), data);
      await store.verify(chunkId(i));
    }
    // The same chunks, counted once.
    const afterUsage = await store.usage();
    assert.equal(afterUsage.usedBytes, before.usedBytes);
    assert.equal(afterUsage.chunkCount, before.chunkCount);
    // A different chunk under the id is still refused, damaged or not.
    flipByte(store.pathOf(chunkId(1)), 5);
    await assert.rejects(store.beginPut({ ...header(chunkId(1)), crc32c: crc32c(data) ^ 1 }, { replaceDamaged: true }), isCode('ChunkExists'));
    // A replacing put that fails leaves the damaged chunk as it was (still indexed, still damaged).
    const failing = await store.beginPut(header(chunkId(1)), { replaceDamaged: true });
    if (failing.kind !== 'put') return assert.fail('expected a replacing put');
    await failing.put.write(data.subarray(0, 10));
    await assert.rejects(failing.put.commit(), isCode('InvalidRequest'));
    await assert.rejects(store.verify(chunkId(1)), isCode('ChunkCorrupt'));
    assert.equal((await store.usage()).chunkCount, before.chunkCount);
  });
});

test('delete removes index entry and file; list pages in id order', TIMEOUT, async () => {
  await withStore(async (store) => {
    const ids = [7, 3, 11, 5, 1, 9].map(chunkId);
    for (const [i, id] of ids.entries()) await putBytes(store, id, patternBytes(100 + i, i));
    await store.delete(chunkId(5));
    assert.equal(existsSync(store.pathOf(chunkId(5))), false);
    await assert.rejects(store.stat(chunkId(5)), isCode('ChunkNotFound'));
    const seen: string[] = [];
    let after = '';
    for (;;) {
      const page = await store.list(after, 2);
      seen.push(...page.map((e) => e.chunkId));
      if (page.length < 2) break;
      after = page[page.length - 1]!.chunkId;
    }
    assert.deepEqual(seen, [1, 3, 7, 9, 11].map(chunkId));
    assert.equal((await store.usage()).chunkCount, 5);
  });
});

test('a flipped byte fails the read with ChunkCorrupt at its block and is reported', TIMEOUT, async () => {
  await withStore(async (store, _dir, damage) => {
    const data = patternBytes(4 * CHECKSUM_BLOCK_BYTES, 6);
    await putBytes(store, chunkId(1), data);
    flipByte(store.pathOf(chunkId(1)), 2 * CHECKSUM_BLOCK_BYTES + 10);
    // Blocks before the damaged one still read and verify.
    assert.deepEqual(await readBytes(store, chunkId(1), 0, 2 * CHECKSUM_BLOCK_BYTES), data.subarray(0, 2 * CHECKSUM_BLOCK_BYTES));
    await assert.rejects(readBytes(store, chunkId(1)), (err: unknown) =>
      err instanceof ChunkError && err.code === 'ChunkCorrupt' && /block 2/.test(err.message));
    await assert.rejects(store.verify(chunkId(1)), isCode('ChunkCorrupt'));
    assert.ok(damage.length >= 2);
    assert.deepEqual(damage[0]!.chunkId, chunkId(1));
    assert.equal(damage[0]!.kind, 'corrupt');
    assert.equal((await store.usage()).readDamageFound, damage.length);
  });
});

test('damaged footers, truncated files and missing files are detected at open', TIMEOUT, async () => {
  await withStore(async (store, _dir, damage) => {
    for (const i of [1, 2, 3]) await putBytes(store, chunkId(i), patternBytes(1000, i));
    flipByte(store.pathOf(chunkId(1)), 1000 + 2); // inside the block table
    const p2 = store.pathOf(chunkId(2));
    writeFileSync(p2, patternBytes(500, 2));
    unlinkSync(store.pathOf(chunkId(3)));
    await assert.rejects(store.openRead(chunkId(1)), isCode('ChunkCorrupt'));
    await assert.rejects(store.openRead(chunkId(2)), isCode('ChunkCorrupt'));
    await assert.rejects(store.openRead(chunkId(3)), isCode('ChunkMissing'));
    assert.deepEqual(damage.map((d) => d.kind), ['corrupt', 'corrupt', 'missing']);
  });
});

test('recovery removes temp files and unindexed chunk files, and reports foreign files', TIMEOUT, async () => {
  const t = tempDir();
  try {
    let store = await ChunkStore.open({ dir: t.dir, freeSpaceReserveBytes: 0 });
    await putBytes(store, chunkId(1), patternBytes(1000, 1));
    await putBytes(store, chunkId(2), patternBytes(1000, 2));
    const orphanPath = store.pathOf(chunkId(3));
    await store.close();
    // A put cut short by a crash, a put that crashed after its rename, and a stranger.
    writeFileSync(join(t.dir, 'tmp', `${chunkId(4)}.1.1.tmp`), patternBytes(10, 4));
    mkdirSync(join(orphanPath, '..'), { recursive: true });
    writeFileSync(orphanPath, patternBytes(10, 3));
    writeFileSync(join(t.dir, 'chunks', 'README'), 'not a chunk');
    store = await ChunkStore.open({ dir: t.dir, freeSpaceReserveBytes: 0 });
    try {
      assert.deepEqual(store.recovery, { tempFilesRemoved: 1, orphanFilesRemoved: 1, unknownEntries: ['README'] });
      assert.equal(existsSync(orphanPath), false);
      assert.deepEqual(filesUnder(join(t.dir, 'tmp')), []);
      assert.equal((await store.usage()).chunkCount, 2);
      assert.deepEqual(await readBytes(store, chunkId(2)), patternBytes(1000, 2));
    } finally {
      await store.close();
    }
  } finally {
    t.remove();
  }
});

test('capacity is enforced before any byte is written', TIMEOUT, async () => {
  const t = tempDir();
  const store = await ChunkStore.open({ dir: t.dir, capacityBytes: 10_000, freeSpaceReserveBytes: 0 });
  try {
    await putBytes(store, chunkId(1), patternBytes(6000, 1));
    await assert.rejects(store.beginPut({ chunkId: chunkId(2), length: 5000, crc32c: 0 }), isCode('InsufficientCapacity'));
    const pending = await store.beginPut({ chunkId: chunkId(3), length: 4000, crc32c: crc32c(patternBytes(4000, 3)) });
    // Space reserved by a put in progress counts too.
    await assert.rejects(store.beginPut({ chunkId: chunkId(4), length: 1, crc32c: 0 }), isCode('InsufficientCapacity'));
    if (pending.kind !== 'put') return assert.fail('expected a put');
    await pending.put.write(patternBytes(4000, 3));
    await pending.put.commit();
    assert.deepEqual(await store.usage().then((u) => [u.usedBytes, u.chunkCount]), [10_000, 2]);
    await store.delete(chunkId(1));
    await putBytes(store, chunkId(2), patternBytes(5000, 2));
  } finally {
    await store.close();
    t.remove();
  }
});

test('concurrent puts share synced index batches and all land', TIMEOUT, async () => {
  await withStore(async (store) => {
    const n = 64;
    await Promise.all(Array.from({ length: n }, (_, i) => putBytes(store, chunkId(i + 1), patternBytes(2000 + i, i))));
    assert.equal((await store.usage()).chunkCount, n);
    for (let i = 0; i < n; i++) assert.deepEqual(await readBytes(store, chunkId(i + 1)), patternBytes(2000 + i, i));
  });
});
