import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { PutRequestSchema, PutResponseSchema } from '../../../services/common/gen/zonestore/kv/v1/kv_pb.ts';
import { PutCodecError, decodePutRequest, encodePutResponse } from '../../../services/cli/raftkv/kv-put-codec.ts';

test('hand-decoded PutRequest equals protobuf-es for any key/value', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 3000 }), (key, value) => {
    const bytes = toBinary(PutRequestSchema, create(PutRequestSchema, { key, value }));
    const got = decodePutRequest(bytes);
    assert.deepEqual(Buffer.from(got.key), Buffer.from(key));
    assert.deepEqual(Buffer.from(got.value), Buffer.from(value));
  }), { seed: 42, numRuns: 300 });
});

test('hand-encoded PutResponse is byte-identical to protobuf-es', () => {
  fc.assert(fc.property(fc.maxSafeNat(), (index) => {
    const want = toBinary(PutResponseSchema, create(PutResponseSchema, { index: BigInt(index) }));
    const got = encodePutResponse(create(PutResponseSchema, { index: BigInt(index) }));
    assert.deepEqual(Buffer.from(got), Buffer.from(want));
    assert.equal(fromBinary(PutResponseSchema, got).index, BigInt(index));
  }), { seed: 43, numRuns: 300 });
});

test('unknown fields are skipped; truncated or bad input is an error, not a wrong answer', () => {
  // field 3 varint, field 1 "k", field 9 fixed32, field 2 "v"
  const bytes = Uint8Array.from([0x18, 0x96, 0x01, 0x0a, 1, 0x6b, 0x4d, 1, 2, 3, 4, 0x12, 1, 0x76]);
  const got = decodePutRequest(bytes);
  assert.equal(Buffer.from(got.key).toString(), 'k');
  assert.equal(Buffer.from(got.value).toString(), 'v');
  assert.throws(() => decodePutRequest(Uint8Array.from([0x0a, 5, 1, 2])), PutCodecError);
  assert.throws(() => decodePutRequest(Uint8Array.from([0x0a])), PutCodecError);
  assert.throws(() => decodePutRequest(Uint8Array.from([0x0b])), PutCodecError);
  assert.throws(() => decodePutRequest(Uint8Array.from([0x4d, 1])), PutCodecError);
});
