// CRC-64/XZ (OSS crc64ecma): the catalogue check value, agreement with a bit-at-a-time BigInt
// reference written here and with the xz tool's own CRC64 (an independent implementation; the
// ali-oss 6.x package ships no CRC-64 code to compare with), incremental and resumed hashing,
// the combine rule multipart objects rely on, and a throughput print.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { combineCrc64Ecma, Crc64Ecma, crc64Ecma, parseCrc64Ecma } from '../../../../services/gateway/checksums/crc64-ecma.ts';

/** One bit at a time over BigInt: slow, obviously the definition. */
function referenceCrc(data: Uint8Array): bigint {
  const poly = 0xc96c5795d7870f42n;
  let crc = 0xffffffffffffffffn;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = (crc & 1n) !== 0n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc ^ 0xffffffffffffffffn;
}

function seededBytes(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; // xorshift32
    out[i] = x & 0xff;
  }
  return out;
}

const hasXz = (() => {
  try {
    execFileSync('xz', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The CRC64 xz stores for one block of `data`, as the tool lists it (hex). */
function xzCrc(data: Buffer): bigint {
  const dir = mkdtempSync(join(tmpdir(), 'crc64-xz-'));
  try {
    const file = join(dir, 'data.xz');
    writeFileSync(file, execFileSync('xz', ['--check=crc64', '-0', '-T1', '-c'], { input: data, maxBuffer: 64 * 1024 * 1024 }));
    const listing = execFileSync('xz', ['--robot', '-lvv', file], { encoding: 'utf8' });
    const blocks = listing.split('\n').filter((l) => l.startsWith('block\t'));
    assert.equal(blocks.length, 1, 'xz wrote one block (it writes none for empty input)');
    return BigInt(`0x${blocks[0]!.split('\t')[10]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('crc64ecma values', () => {
  test('the CRC-64/XZ check value and the empty input', () => {
    assert.equal(crc64Ecma(Buffer.from('123456789')), 0x995dc9bbdf1939fan);
    assert.equal(new Crc64Ecma().update(Buffer.from('123456789')).digest(), '11051210869376104954');
    assert.equal(crc64Ecma(Buffer.alloc(0)), 0n);
    assert.equal(new Crc64Ecma().digest(), '0');
    assert.equal(new Crc64Ecma().update(Buffer.from('123456789')).bytes().toString('hex'), '995dc9bbdf1939fa');
  });

  test('agrees with the bitwise reference at every length to 300 and every alignment', () => {
    const data = seededBytes(300 + 8, 42);
    for (let offset = 0; offset < 8; offset++) {
      for (let n = 0; n <= 300; n += offset === 0 ? 1 : 7) {
        const slice = data.subarray(offset, offset + n);
        assert.equal(crc64Ecma(slice), referenceCrc(slice), `offset ${offset}, length ${n}`);
      }
    }
  });

  test('agrees with the bitwise reference on random inputs', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => crc64Ecma(bytes) === referenceCrc(bytes)), { numRuns: 200 });
  });

  test('agrees with the CRC64 xz stores', { skip: hasXz ? false : 'xz is not installed' }, () => {
    for (const [n, seed] of [[1, 2], [63, 3], [64, 4], [1000, 5], [1 << 20, 6], [(1 << 20) + 13, 7]] as const) {
      const data = seededBytes(n, seed);
      assert.equal(crc64Ecma(data), xzCrc(data), `length ${n}`);
    }
  });
});

describe('crc64ecma incremental use', () => {
  test('any split into update() calls gives the one-shot value', () => {
    fc.assert(fc.property(
      fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(3000), { maxLength: 6 }),
      (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const crc = new Crc64Ecma();
        let from = 0;
        for (const p of [...points, bytes.length]) {
          crc.update(bytes.subarray(from, p));
          from = p;
        }
        return crc.value() === crc64Ecma(bytes);
      },
    ), { numRuns: 300 });
  });

  test('resuming from a finished value continues the same CRC (appendable objects)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), fc.uint8Array({ maxLength: 500 }), (a, b) => {
      const whole = Buffer.concat([a, b]);
      return new Crc64Ecma(crc64Ecma(a)).update(b).value() === crc64Ecma(whole);
    }), { numRuns: 300 });
  });
});

describe('combineCrc64Ecma', () => {
  test('crc(a‖b) == combine(crc(a), crc(b), len(b))', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), fc.uint8Array({ maxLength: 2000 }), (a, b) => {
      const whole = Buffer.concat([a, b]);
      return combineCrc64Ecma(crc64Ecma(a), crc64Ecma(b), b.length) === crc64Ecma(whole);
    }), { numRuns: 300 });
  });

  test('a multipart object: parts combined in order give the whole object\'s CRC', () => {
    const parts = [5 << 20, 5 << 20, 1, 777_777].map((n, i) => seededBytes(n, 100 + i));
    let crc = 0n;
    for (const part of parts) crc = combineCrc64Ecma(crc, crc64Ecma(part), part.length);
    assert.equal(crc, crc64Ecma(Buffer.concat(parts)));
  });

  test('an empty second part changes nothing; an empty first part gives the second CRC', () => {
    const crc = crc64Ecma(Buffer.from('abc'));
    assert.equal(combineCrc64Ecma(crc, 0n, 0), crc);
    assert.equal(combineCrc64Ecma(0n, crc, 3), crc);
  });

  test('lengths beyond 2^53 are accepted as bigint and refused when negative', () => {
    assert.equal(typeof combineCrc64Ecma(1n, 2n, 1n << 60n), 'bigint');
    assert.throws(() => combineCrc64Ecma(1n, 2n, -1), RangeError);
    assert.throws(() => combineCrc64Ecma(1n, 2n, 1n << 61n), RangeError);
  });
});

describe('parseCrc64Ecma', () => {
  test('unsigned decimals up to 2^64 - 1 only', () => {
    assert.equal(parseCrc64Ecma('0'), 0n);
    assert.equal(parseCrc64Ecma('18446744073709551615'), 0xffffffffffffffffn);
    for (const bad of ['', '-1', '18446744073709551616', '0x10', ' 1', '1.0', '123456789012345678901']) {
      assert.equal(parseCrc64Ecma(bad), undefined, bad);
    }
  });
});

test('crc64ecma throughput (printed)', () => {
  const data = seededBytes(64 << 20, 9);
  crc64Ecma(data.subarray(0, 1 << 20)); // warm up the JIT
  const start = performance.now();
  const crc = new Crc64Ecma();
  for (let off = 0; off < data.length; off += 64 * 1024) crc.update(data.subarray(off, off + 64 * 1024));
  const ms = performance.now() - start;
  console.log(`crc64ecma: ${(data.length / 1e6 / (ms / 1000)).toFixed(0)} MB/s over 64 MiB in 64 KiB updates`);
  assert.equal(crc.value(), crc64Ecma(data));
});
