// The checksum hashers: CRC-64/NVME (ours) against its check value and the AWS SDK's own
// implementation; every algorithm incremental-equals-whole, whatever the cut points and
// buffer alignment.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { Crc64NvmeJs } from '@aws-sdk/checksums/crc';
import { crc32, crc32c } from '@node-rs/crc32';
import fc from 'fast-check';
import {
  CHECKSUM_ALGORITHMS, checksumAlgorithmOfHeader, type ChecksumAlgorithm, createChecksum, Crc64Nvme, crc64Nvme, parseChecksumAlgorithm,
} from '../../../../services/gateway/auth/index.ts';

async function sdkCrc64(data: Uint8Array): Promise<Buffer> {
  const c = new Crc64NvmeJs();
  c.update(data);
  return Buffer.from(await c.digest());
}

function oneShot(alg: ChecksumAlgorithm, data: Buffer): Buffer {
  const be = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
  };
  switch (alg) {
    case 'crc32': return be(crc32(data));
    case 'crc32c': return be(crc32c(data));
    case 'crc64nvme': return crc64Nvme(data);
    case 'sha1': return createHash('sha1').update(data).digest();
    case 'sha256': return createHash('sha256').update(data).digest();
  }
}

describe('CRC-64/NVME', () => {
  test('check value: "123456789" → 0xae8b14860a799888', () => {
    assert.equal(crc64Nvme(Buffer.from('123456789')).toString('hex'), 'ae8b14860a799888');
  });

  test('the empty input is 0', () => {
    assert.equal(crc64Nvme(Buffer.alloc(0)).toString('hex'), '0000000000000000');
  });

  test('agrees with @aws-sdk/checksums on lengths around every word and block boundary', async () => {
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 131 + 17) & 0xff));
    for (let n = 0; n <= 300; n++) {
      assert.equal(crc64Nvme(data.subarray(0, n)).toString('hex'), (await sdkCrc64(data.subarray(0, n))).toString('hex'), `length ${n}`);
    }
  });

  test('property: any data, cut anywhere, at any buffer offset, equals the SDK value', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ maxLength: 5000 }), fc.array(fc.nat({ max: 5000 }), { maxLength: 8 }), fc.nat({ max: 7 }),
      async (bytes, cuts, shift) => {
        // Copy into a buffer at `shift` bytes past a word boundary, to exercise the unaligned head.
        const backing = new Uint8Array(bytes.length + 8);
        backing.set(bytes, shift);
        const data = backing.subarray(shift, shift + bytes.length);
        const crc = new Crc64Nvme();
        let at = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          const to = Math.min(cut, data.length);
          if (to > at) crc.update(data.subarray(at, to));
          at = Math.max(at, to);
        }
        crc.update(data.subarray(at));
        assert.equal(crc.digest().toString('hex'), (await sdkCrc64(bytes)).toString('hex'));
      },
    ), { numRuns: 300 });
  });

  test('throughput on 64 MiB in 64 KiB updates (reported, loosely bounded)', () => {
    const data = Buffer.alloc(64 * 1024 * 1024, 0x5a);
    const crc = new Crc64Nvme();
    const t0 = performance.now();
    for (let o = 0; o < data.length; o += 65536) crc.update(data.subarray(o, o + 65536));
    const gbps = data.length / 1e6 / (performance.now() - t0);
    console.log(`crc64nvme: ${gbps.toFixed(2)} GB/s`);
    assert.ok(gbps > 0.1, 'per-byte BigInt speeds would be far below this');
  });
});

describe('createChecksum', () => {
  test('every algorithm: incremental equals one-shot, and digest() can be repeated', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat({ max: 2000 }), (bytes, cut) => {
      const data = Buffer.from(bytes);
      for (const alg of CHECKSUM_ALGORITHMS) {
        const c = createChecksum(alg);
        c.update(data.subarray(0, cut));
        c.update(data.subarray(cut));
        const d = c.digest();
        assert.ok(d.equals(oneShot(alg, data)), alg);
        assert.ok(c.digest().equals(d), `${alg} twice`);
      }
    }), { numRuns: 100 });
  });

  test('the CRC32 of "123456789" is the standard cbf43926, big-endian', () => {
    const c = createChecksum('crc32');
    c.update(Buffer.from('123456789'));
    assert.equal(c.digest().toString('hex'), 'cbf43926');
    const cc = createChecksum('crc32c');
    cc.update(Buffer.from('123456789'));
    assert.equal(cc.digest().toString('hex'), 'e3069283');
  });

  test('names: S3 spellings and header names map to algorithms', () => {
    assert.equal(parseChecksumAlgorithm('CRC64NVME'), 'crc64nvme');
    assert.equal(parseChecksumAlgorithm(' sha256 '), 'sha256');
    assert.equal(parseChecksumAlgorithm('MD5'), undefined);
    assert.equal(checksumAlgorithmOfHeader('x-amz-checksum-crc32c'), 'crc32c');
    assert.equal(checksumAlgorithmOfHeader('x-amz-checksum-type'), undefined);
  });
});
