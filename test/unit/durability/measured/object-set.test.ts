// The measured run's objects: seeded, every kind present, sizes in each kind's range (small ones
// below the small-object threshold, multi-stripe ones above an RS(6,3) block), and bodies that
// are the same bytes every time they are rebuilt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MULTIPART_PART_BYTES, OBJECT_MIX, RS_BLOCK_BYTES, countByKind, objectBody, objectParts, planObjects, totalBytes,
} from '../../../../benchmarks/durability/measured/object-set.ts';
import { DEFAULT_SMALL_OBJECT_BYTES } from '../../../../services/erasure/storage-scheme.ts';

test('same seed, same objects; another seed, other sizes', () => {
  assert.deepEqual(planObjects({ count: 300, seed: 4 }), planObjects({ count: 300, seed: 4 }));
  assert.notDeepEqual(planObjects({ count: 300, seed: 4 }).map((o) => o.size), planObjects({ count: 300, seed: 5 }).map((o) => o.size));
});

test('every kind is present even in a tiny set, and sizes stay in their kind\'s range at any scale', () => {
  for (const sizeScale of [1, 0.3, 0.01]) {
    const objects = planObjects({ count: 2_000, seed: 1, sizeScale });
    assert.ok(Object.values(countByKind(objects)).every((n) => n > 0), JSON.stringify(countByKind(objects)));
    for (const o of objects) {
      const range = OBJECT_MIX.find((m) => m.kind === o.kind)!;
      assert.ok(o.size >= range.minBytes && o.size <= range.maxBytes, `${o.key}: ${o.size}`);
      if (o.kind === 'replicated') assert.ok(o.size < DEFAULT_SMALL_OBJECT_BYTES);
      if (o.kind === 'erasure') assert.ok(o.size > DEFAULT_SMALL_OBJECT_BYTES && o.size <= RS_BLOCK_BYTES);
      if (o.kind === 'multi-stripe') assert.ok(o.size > RS_BLOCK_BYTES);
    }
  }
  assert.deepEqual(Object.values(countByKind(planObjects({ count: 4, seed: 2 }))), [1, 1, 1, 1]);
});

test('a smaller scale means fewer bytes: smaller objects and fewer above a stripe', () => {
  const full = planObjects({ count: 1_000, seed: 3 });
  const small = planObjects({ count: 1_000, seed: 3, sizeScale: 0.1 });
  assert.ok(totalBytes(small) < totalBytes(full) / 4, `${totalBytes(small)} vs ${totalBytes(full)}`);
  assert.ok(countByKind(small)['multi-stripe'] < countByKind(full)['multi-stripe']);
});

test('bodies are rebuilt identically; multipart bodies split into 5 MiB parts and a tail', () => {
  const objects = planObjects({ count: 10, seed: 8 });
  for (const o of objects) {
    assert.equal(objectBody(o).length, o.size);
    assert.ok(objectBody(o).equals(objectBody(o)));
    assert.ok(Buffer.concat(objectParts(o)).equals(objectBody(o)));
  }
  const mp = objects.find((o) => o.kind === 'multipart')!;
  const parts = objectParts(mp);
  assert.equal(parts.length, 2);
  assert.equal(parts[0]!.length, MULTIPART_PART_BYTES);
  assert.notDeepEqual(objectBody(objects[0]!).subarray(0, 64), objectBody(objects[1]!).subarray(0, 64), 'objects differ');
});

test('only one kind, when asked', () => {
  const big = planObjects({ count: 20, seed: 1, only: 'multi-stripe' });
  assert.deepEqual(countByKind(big), { 'replicated': 0, 'erasure': 0, 'multi-stripe': 20, 'multipart': 0 });
});

test('bad counts and scales are refused', () => {
  assert.throws(() => planObjects({ count: 0, seed: 1 }), /positive integer/);
  assert.throws(() => planObjects({ count: 10, seed: 1, sizeScale: 0 }), /size scale/);
  assert.throws(() => planObjects({ count: 10, seed: 1, sizeScale: 1.5 }), /size scale/);
});
