// The encrypted block format: layout arithmetic, round trips of random sizes and ranges over
// random parts, and every kind of damage (a flipped byte, blocks swapped, a part cut short at a
// block boundary, a block from another object or part) detected, never wrong plaintext.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { contentKey, SALT_BYTES } from '../../../../services/gateway/encryption/block-cipher.ts';
import {
  BLOCK_OVERHEAD_BYTES, BLOCK_PLAINTEXT_BYTES, BLOCK_STORED_BYTES, NONCE_BYTES, planRange, plainSizeOf, storedSize,
} from '../../../../services/gateway/encryption/block-layout.ts';
import { decryptingStream, encryptingStream } from '../../../../services/gateway/encryption/block-streams.ts';
import { create } from '@bufbuild/protobuf';
import { EncryptionEnvelopeSchema } from '../../../../services/common/gen/zonestore/meta/v1/records_pb.ts';
import { storedPartSize } from '../../../../services/meta/rules/stored-size.ts';

const B = BLOCK_PLAINTEXT_BYTES;

async function collect(r: Readable): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of r) out.push(c as Buffer);
  return Buffer.concat(out);
}

/** Feeds `plain` in chunks of varying size, as a socket would. */
async function encrypt(key: Buffer, salt: Buffer, part: number, plain: Buffer, chunk = 7777): Promise<Buffer> {
  const t = encryptingStream({ key, salt, part, plainSize: plain.length });
  const done = collect(t);
  for (let at = 0; at < plain.length; at += chunk) t.write(plain.subarray(at, at + chunk));
  t.end();
  return done;
}

function decrypt(key: Buffer, salt: Buffer, parts: { number: number; plain: Buffer }[], stored: Buffer, start: number, end: number): Promise<Buffer> {
  const plan = planRange(parts.map((p) => ({ number: p.number, plainSize: p.plain.length })), start, end);
  const slice = stored.subarray(plan.stored.start, plan.stored.end + 1);
  // Hand the stored range over in odd-sized pieces.
  const pieces: Buffer[] = [];
  for (let at = 0; at < slice.length; at += 5000) pieces.push(slice.subarray(at, at + 5000));
  return collect(decryptingStream(Readable.from(pieces), { key, salt, plan }));
}

const key = contentKey(randomBytes(32), randomBytes(SALT_BYTES));
const salt = randomBytes(SALT_BYTES);

describe('block layout', () => {
  it('stored size adds one overhead per block and inverts', () => {
    assert.equal(storedSize(0), 0);
    assert.equal(storedSize(1), 1 + BLOCK_OVERHEAD_BYTES);
    assert.equal(storedSize(B), BLOCK_STORED_BYTES);
    assert.equal(storedSize(B + 1), BLOCK_STORED_BYTES + 1 + BLOCK_OVERHEAD_BYTES);
    fc.assert(fc.property(fc.integer({ min: 0, max: 6 * 1024 ** 3 }), (p) => plainSizeOf(storedSize(p)) === p));
  });
  it('meta\'s stored-size rule (from the envelope) agrees with the layout', () => {
    const envelope = create(EncryptionEnvelopeSchema, { mode: 'SSE-S3', blockSize: BigInt(B), blockOverhead: BLOCK_OVERHEAD_BYTES });
    fc.assert(fc.property(fc.integer({ min: 0, max: 6 * 1024 ** 3 }), (p) => storedPartSize(BigInt(p), envelope) === BigInt(storedSize(p))));
    assert.equal(storedPartSize(123n, undefined), 123n, 'unencrypted: the plaintext size');
  });
  it('a stored size no plaintext has is refused', () => {
    assert.throws(() => plainSizeOf(BLOCK_OVERHEAD_BYTES));
    assert.throws(() => plainSizeOf(BLOCK_STORED_BYTES + 3));
  });
  it('a range maps to the blocks that hold it, and only those', () => {
    const plan = planRange([{ number: 1, plainSize: 10 * B }], B + 5, 2 * B + 1);
    assert.deepEqual(plan.runs, [{ part: 1, partPlainSize: 10 * B, first: 1, last: 2 }]);
    assert.deepEqual(plan.stored, { start: BLOCK_STORED_BYTES, end: 3 * BLOCK_STORED_BYTES - 1 });
    assert.equal(plan.skip, 5);
    const across = planRange([{ number: 3, plainSize: B + 10 }, { number: 7, plainSize: 100 }], B + 9, B + 10);
    assert.deepEqual(across.runs.map((r) => [r.part, r.first, r.last]), [[3, 1, 1], [7, 0, 0]]);
    assert.equal(across.stored.end, storedSize(B + 10) + storedSize(100) - 1);
  });
});

describe('block encryption', () => {
  it('round-trips random parts and ranges', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.integer({ min: 1, max: 3 * B + 100 }), { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 1, max: 99_991 }), fc.nat(), fc.nat(),
      async (sizes, chunk, a, b) => {
        const parts = sizes.map((n, i) => ({ number: i * 2 + 1, plain: randomBytes(n) }));
        const stored = Buffer.concat(await Promise.all(parts.map((p) => encrypt(key, salt, p.number, p.plain, chunk))));
        assert.equal(stored.length, sizes.reduce((s, n) => s + storedSize(n), 0));
        const all = Buffer.concat(parts.map((p) => p.plain));
        const start = a % all.length;
        const end = start + (b % (all.length - start));
        assert.deepEqual(await decrypt(key, salt, parts, stored, start, end), all.subarray(start, end + 1));
      }), { numRuns: 60 });
  });

  it('the ciphertext does not contain the plaintext', async () => {
    const marker = Buffer.from('MARKER-'.repeat(20000));
    const stored = await encrypt(key, salt, 1, marker);
    assert.equal(stored.indexOf('MARKER-'), -1);
  });

  it('no nonce repeats within a part, nor between two writes of the same part', async () => {
    const plain = randomBytes(20 * B);
    const nonces = new Set<string>();
    for (let w = 0; w < 2; w++) {
      const stored = await encrypt(key, salt, 1, plain);
      for (let at = 0; at < stored.length; at += BLOCK_STORED_BYTES) nonces.add(stored.subarray(at, at + NONCE_BYTES).toString('hex'));
    }
    assert.equal(nonces.size, 40);
  });

  const plain = randomBytes(4 * B);
  const parts = [{ number: 1, plain }];
  const whole = (s: Buffer, p = parts) => decrypt(key, salt, p, s, 0, p.reduce((n, x) => n + x.plain.length, 0) - 1);

  it('a flipped byte anywhere in a block fails, at every position of a block', async () => {
    const stored = await encrypt(key, salt, 1, plain);
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: stored.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, x) => {
      const bad = Buffer.from(stored);
      bad[at]! ^= x;
      await assert.rejects(whole(bad), /authentication/);
    }), { numRuns: 40 });
  });

  it('swapped blocks fail', async () => {
    const stored = await encrypt(key, salt, 1, plain);
    const swapped = Buffer.concat([stored.subarray(BLOCK_STORED_BYTES, 2 * BLOCK_STORED_BYTES), stored.subarray(0, BLOCK_STORED_BYTES), stored.subarray(2 * BLOCK_STORED_BYTES)]);
    await assert.rejects(whole(swapped), /authentication/);
  });

  it('a part cut short at a block boundary fails (its last block is not marked final)', async () => {
    const stored = await encrypt(key, salt, 1, plain);
    const cut = stored.subarray(0, 3 * BLOCK_STORED_BYTES);
    await assert.rejects(whole(cut, [{ number: 1, plain: plain.subarray(0, 3 * B) }]), /authentication/);
  });

  it('stored bytes that end early fail', async () => {
    const stored = await encrypt(key, salt, 1, plain);
    const plan = planRange([{ number: 1, plainSize: plain.length }], 0, plain.length - 1);
    await assert.rejects(collect(decryptingStream(Readable.from([stored.subarray(0, stored.length - 10)]), { key, salt, plan })), /early/);
  });

  it('a block of another part, another object or under another key fails', async () => {
    const stored = await encrypt(key, salt, 1, plain);
    await assert.rejects(whole(stored, [{ number: 2, plain }]), /authentication/);
    await assert.rejects(decrypt(key, randomBytes(SALT_BYTES), parts, stored, 0, 10), /authentication/);
    await assert.rejects(decrypt(contentKey(randomBytes(32), salt), salt, parts, stored, 0, 10), /authentication/);
  });

  it('a body longer than declared is refused', async () => {
    const t = encryptingStream({ key, salt, part: 1, plainSize: 10 });
    const done = collect(t);
    t.write(Buffer.alloc(11));
    t.end();
    await assert.rejects(done, /more than the 10 bytes/);
  });
});
