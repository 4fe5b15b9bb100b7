// Object sizes: parsing the three forms, drawing from them with a seeded source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSizeSpec, drawSize, formatBytes, maxSize, meanSize, parseByteSize, parseSizeSpec } from '../../../../services/cli/bench/size-spec.ts';
import { pick, seededBytes, seededRandom } from '../../../../services/cli/bench/seeded-random.ts';

test('byte sizes: binary units by default, decimal kB/MB/GB, plain byte counts', () => {
  assert.equal(parseByteSize('4KiB'), 4096);
  assert.equal(parseByteSize('64m'), 64 * 2 ** 20);
  assert.equal(parseByteSize('1.5MiB'), 1.5 * 2 ** 20);
  assert.equal(parseByteSize('1MB'), 1_000_000);
  assert.equal(parseByteSize('1000'), 1000);
  assert.equal(parseByteSize('0'), 0);
  for (const bad of ['', 'KiB', '4 parsecs', '-1', '2GiB']) assert.throws(() => parseByteSize(bad), Error, bad);
});

test('size specs: fixed, log-uniform range, weighted', () => {
  assert.deepEqual(parseSizeSpec('4KiB'), { kind: 'fixed', bytes: 4096 });
  assert.deepEqual(parseSizeSpec('1KiB-1MiB'), { kind: 'range', min: 1024, max: 2 ** 20 });
  assert.deepEqual(parseSizeSpec('4KiB:80,1MiB:20'), { kind: 'weighted', choices: [{ bytes: 4096, weight: 80 }, { bytes: 2 ** 20, weight: 20 }] });
  assert.throws(() => parseSizeSpec('1MiB-1KiB'));
  assert.throws(() => parseSizeSpec('4KiB:0'));
  assert.equal(describeSizeSpec(parseSizeSpec('1KiB-64KiB')), '1KiB-64KiB (log-uniform)');
  assert.equal(formatBytes(64 * 2 ** 20), '64MiB');
  assert.equal(formatBytes(1000), '1000B');
});

test('draws stay in range, a log-uniform range puts half its draws below the geometric middle, weights hold', () => {
  const random = seededRandom(7);
  const range = parseSizeSpec('1KiB-1MiB');
  const draws = Array.from({ length: 20_000 }, () => drawSize(range, random));
  assert.ok(draws.every((d) => d >= 1024 && d <= 2 ** 20));
  const belowMiddle = draws.filter((d) => d < 32 * 1024).length / draws.length;
  assert.ok(Math.abs(belowMiddle - 0.5) < 0.02, `${belowMiddle}`);
  const weighted = parseSizeSpec('4KiB:80,1MiB:20');
  const small = Array.from({ length: 20_000 }, () => drawSize(weighted, random)).filter((d) => d === 4096).length / 20_000;
  assert.ok(Math.abs(small - 0.8) < 0.02, `${small}`);
  assert.equal(maxSize(weighted), 2 ** 20);
  assert.equal(meanSize(weighted), 0.8 * 4096 + 0.2 * 2 ** 20);
});

test('the seeded source repeats itself, and its bodies do not repeat within a page', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  for (let i = 0; i < 100; i++) assert.equal(a(), b());
  const r = seededRandom(1);
  for (let i = 0; i < 1000; i++) {
    const n = pick(r, 5);
    assert.ok(Number.isInteger(n) && n >= 0 && n < 5);
  }
  assert.ok(seededBytes(8192, 3).equals(seededBytes(8192, 3)));
  assert.ok(!seededBytes(8192, 3).equals(seededBytes(8192, 4)));
  assert.equal(seededBytes(10, 1).length, 10);
});
