// The deciphering stream: skip and limit for ranges, whatever the chunking, and the end-of-stream
// check of a whole-object read (length and MD5) failing on a wrong key or a changed byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { CtrDecryptStream, ctrTransformAt, GcmDecryptStream, gcmCounterBase, gcmRangeKey, gcmSeal } from '../../../services/client/encryption/content-cipher.ts';
import type { Transform } from 'node:stream';
import { alignRangeStart } from '../../../services/client/encryption/ctr-counter.ts';
import { ClientEncryptionError } from '../../../services/client/encryption/client-encryption-error.ts';

const key = { cek: randomBytes(32), iv: randomBytes(16) };

async function drain(s: CtrDecryptStream, chunks: Buffer[]): Promise<Buffer> {
  Readable.from(chunks).pipe(s);
  const out: Buffer[] = [];
  for await (const c of s) out.push(c as Buffer);
  return Buffer.concat(out);
}

async function drainAny(s: Transform, chunks: Buffer[]): Promise<Buffer> {
  Readable.from(chunks).pipe(s);
  const out: Buffer[] = [];
  for await (const c of s) out.push(c as Buffer);
  return Buffer.concat(out);
}

function chunked(b: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, b.length]) { out.push(b.subarray(prev, c)); prev = c; }
  return out.filter((c) => c.length > 0);
}

test('a range deciphers to the plaintext slice however the ciphertext arrives', async () => {
  await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 5000 }), fc.nat(), fc.nat(), fc.array(fc.nat(), { maxLength: 8 }), async (size, a, b, cuts) => {
    const plain = randomBytes(size);
    const cipher = ctrTransformAt(key, 0, plain);
    const start = a % size;
    const end = start + (b % (size - start));
    const { fetchStart, skip } = alignRangeStart(start);
    const got = await drain(new CtrDecryptStream(key, fetchStart, skip, end - start + 1, {}), chunked(cipher.subarray(fetchStart, end + 1), cuts));
    assert.ok(got.equals(plain.subarray(start, end + 1)));
  }), { numRuns: 200 });
});

test('a whole read is checked: right key passes, wrong key or a changed byte fails with IntegrityCheckFailed', async () => {
  const plain = randomBytes(10_000);
  const cipher = ctrTransformAt(key, 0, plain);
  const check = { length: plain.length, md5: createHash('md5').update(plain).digest('base64') };
  assert.ok((await drain(new CtrDecryptStream(key, 0, 0, plain.length, check), [cipher])).equals(plain));
  const wrong = { cek: randomBytes(32), iv: key.iv };
  await assert.rejects(drain(new CtrDecryptStream(wrong, 0, 0, plain.length, check), [cipher]), (e: unknown) => e instanceof ClientEncryptionError && e.code === 'IntegrityCheckFailed');
  const changed = Buffer.from(cipher);
  changed[4321] ^= 4;
  await assert.rejects(drain(new CtrDecryptStream(key, 0, 0, plain.length, check), [changed]), /IntegrityCheckFailed/);
  await assert.rejects(drain(new CtrDecryptStream(key, 0, 0, plain.length, check), [cipher.subarray(0, 9_000)]), /decrypted 9000 bytes/);
});

test('a CTR stream is entered only on a block boundary', () => {
  assert.throws(() => ctrTransformAt(key, 8, Buffer.alloc(8)), /16-byte boundary/);
});

test('AES-GCM: the stream verifies the tag; ranges read as the CTR inside GCM; a changed byte or tag fails', async () => {
  const gkey = { cek: randomBytes(32), iv: randomBytes(12) };
  await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 3000 }), fc.array(fc.nat(), { maxLength: 6 }), fc.nat(), fc.nat(), async (size, cuts, a, b) => {
    const plain = randomBytes(size);
    const sealed = gcmSeal(gkey, plain);
    assert.equal(sealed.length, size + 16);
    const check = { md5: createHash('md5').update(plain).digest('base64') };
    const got = await drainAny(new GcmDecryptStream(gkey, check), chunked(sealed, cuts));
    assert.ok(got.equals(plain));
    if (size > 0) {
      const start = a % size;
      const end = start + (b % (size - start));
      const { fetchStart, skip } = alignRangeStart(start);
      const ranged = await drain(new CtrDecryptStream(gcmRangeKey(gkey), fetchStart, skip, end - start + 1, {}), [sealed.subarray(fetchStart, end + 1)]);
      assert.ok(ranged.equals(plain.subarray(start, end + 1)), `range ${start}-${end}`);
      const changed = Buffer.from(sealed);
      changed[a % changed.length] ^= 1;
      await assert.rejects(drainAny(new GcmDecryptStream(gkey, {}), [changed]), /IntegrityCheckFailed/);
    }
  }), { numRuns: 150 });
  await assert.rejects(drainAny(new GcmDecryptStream(gkey, {}), [Buffer.alloc(10)]), /shorter than an AES-GCM tag/);
  assert.equal(gcmCounterBase(Buffer.alloc(12, 0xab)).toString('hex'), 'abababababababababababab00000002');
});
