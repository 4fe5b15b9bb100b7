// Property: any data, cut into any chunk sizes and delivered in any network pieces, encoded
// as aws-chunked (chunk-signed with or without a signed trailer, or unsigned with a trailer),
// decodes to exactly the same bytes with the right checksums. Seeds print on failure.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { crc32c } from '@node-rs/crc32';
import fc from 'fast-check';
import type { Authentication } from '../../../../services/gateway/auth/index.ts';
import { DOC_ACCESS_KEY, DOC_AMZ_DATE, DOC_SCOPE, docSigningKey, encodeAwsChunked, runBody, sourceOf } from './auth-fixtures.ts';

const crc32cBase64 = (data: Buffer): string => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32c(data) >>> 0);
  return b.toString('base64');
};

type Mode = 'signed' | 'signed-trailer' | 'unsigned-trailer';

function authFor(mode: Mode, seed: string): Authentication {
  const base = { anonymous: false as const, accessKeyId: DOC_ACCESS_KEY, principal: 'p', region: 'us-east-1' };
  if (mode === 'unsigned-trailer') return { ...base, payload: { kind: 'streaming-unsigned-trailer' } };
  return {
    ...base,
    payload: { kind: 'streaming-signed', trailer: mode === 'signed-trailer' },
    chunkSigning: { signingKey: docSigningKey(), amzDate: DOC_AMZ_DATE, scope: DOC_SCOPE, seedSignature: seed },
  };
}

test('aws-chunked round trip', async () => {
  await fc.assert(fc.asyncProperty(
    fc.uint8Array({ maxLength: 40_000 }),
    fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 6 }),
    fc.integer({ min: 1, max: 9000 }),
    fc.constantFrom<Mode>('signed', 'signed-trailer', 'unsigned-trailer'),
    fc.boolean(),
    fc.stringMatching(/^[0-9a-f]{64}$/),
    async (bytes, chunkSizes, pieceSize, mode, blankBeforeTrailers, seed) => {
      const data = Buffer.from(bytes);
      const trailer = mode !== 'signed';
      const wire = encodeAwsChunked(data, chunkSizes, {
        signer: mode === 'unsigned-trailer' ? undefined : { key: docSigningKey(), amzDate: DOC_AMZ_DATE, scope: DOC_SCOPE, seed },
        trailers: trailer ? [['x-amz-checksum-crc32c', crc32cBase64(data)]] : undefined,
        blankBeforeTrailers,
      });
      const headers: Record<string, string> = { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length) };
      if (trailer) headers['x-amz-trailer'] = 'x-amz-checksum-crc32c';
      const out = await runBody(sourceOf(wire, pieceSize), headers, authFor(mode, seed));
      assert.equal(out.error, undefined, out.error?.message);
      assert.ok(out.ended);
      assert.ok(out.data.equals(data));
      const digests = out.body.digests();
      assert.equal(digests.md5Hex, createHash('md5').update(data).digest('hex'));
      if (trailer) assert.equal(digests.checksums.crc32c, crc32cBase64(data));
    },
  ), { numRuns: 150 });
});

test('any single flipped byte in a chunk-signed body is refused', async () => {
  const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => i & 0xff));
  const seed = 'a'.repeat(64);
  const signer = { key: docSigningKey(), amzDate: DOC_AMZ_DATE, scope: DOC_SCOPE, seed };
  const plain = encodeAwsChunked(data, [1000], { signer });
  const withTrailer = encodeAwsChunked(data, [1000], { signer, trailers: [['x-amz-checksum-crc32c', crc32cBase64(data)]] });
  await fc.assert(fc.asyncProperty(fc.boolean(), fc.nat({ max: 1_000_000 }), fc.integer({ min: 1, max: 255 }), async (trailer, where, xor) => {
    const wire = trailer ? withTrailer : plain;
    const at = where % wire.length;
    const bad = Buffer.from(wire);
    bad[at] = bad[at]! ^ xor;
    const headers: Record<string, string> = { 'x-amz-decoded-content-length': String(data.length) };
    if (trailer) headers['x-amz-trailer'] = 'x-amz-checksum-crc32c';
    const out = await runBody(sourceOf(bad, 512), headers, authFor(trailer ? 'signed-trailer' : 'signed', seed));
    // Hex is read case-blind, so `3e8` → `3E8` in a chunk's size line says the same thing: such a
    // flip may pass, and then the body must decode to exactly the signed bytes.
    if (isHexCaseFlip(wire[at]!, bad[at]!) && !out.error) {
      assert.ok(out.ended && out.data.equals(data), `a case flip of byte ${at} changed the body`);
      return;
    }
    assert.ok(out.error, `flipping byte ${at} went unnoticed`);
    assert.equal(out.ended, false);
  }), { numRuns: 400 });
});

function isHexCaseFlip(before: number, after: number): boolean {
  const hexLetter = (c: number) => /^[a-fA-F]$/.test(String.fromCharCode(c));
  return (before ^ after) === 0x20 && hexLetter(before) && hexLetter(after);
}
