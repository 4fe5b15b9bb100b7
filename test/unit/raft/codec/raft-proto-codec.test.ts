import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { MessageBatchSchema, MessageSchema } from '../../../../services/common/gen/zonestore/raft/v1/raft_pb.ts';
import {
  decodeEntry, decodeHardState, decodeSnapshot, encodeEntry, encodeHardState, encodeSnapshot,
  messageBatchToProto, messageFromProto, CodecError,
} from '../../../../services/raft/codec/raft-proto-codec.ts';
import { EntryType, MessageType, type Entry, type Message, type Snapshot } from '../../../../services/raft/types.ts';


const u53 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const small = fc.integer({ min: 0, max: 1_000_000 });
const bytes = fc.uint8Array({ maxLength: 64 });
const nodeId = fc.constantFrom('', 'z1', 'z2', 'z3');

const entryArb: fc.Arbitrary<Entry> = fc.record({
  term: u53, index: u53, type: fc.constantFrom(EntryType.Normal, EntryType.ConfChange), data: bytes,
});
const snapshotArb: fc.Arbitrary<Snapshot> = fc.record({
  meta: fc.record({
    index: u53, term: u53,
    conf: fc.record({ voters: fc.array(nodeId.filter((s) => s !== '')), learners: fc.array(fc.constant('z4')) }),
  }),
  data: bytes,
});
const messageArb: fc.Arbitrary<Message> = fc.record({
  type: fc.integer({ min: MessageType.Append, max: MessageType.ReadIndexResponse }) as fc.Arbitrary<MessageType>,
  from: nodeId, to: nodeId, term: small, logTerm: small, index: u53,
  entries: fc.array(entryArb, { maxLength: 5 }),
  commit: u53, reject: fc.boolean(), rejectHint: u53,
  snapshot: fc.option(snapshotArb, { nil: undefined }),
  context: fc.option(fc.uint8Array({ minLength: 1, maxLength: 16 }), { nil: undefined }),
}, { requiredKeys: ['type', 'from', 'to', 'term', 'logTerm', 'index', 'entries', 'commit', 'reject', 'rejectHint'] });

/** Decoded bytes may be views of a larger buffer; compare contents only. */
function plainBytes<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof Uint8Array ? Array.from(x) : x))) as T;
}

test('messages survive a trip through the wire form', () => {
  fc.assert(fc.property(fc.array(messageArb, { maxLength: 4 }), (messages) => {
    const wire = toBinary(MessageBatchSchema, messageBatchToProto(messages));
    const back = fromBinary(MessageBatchSchema, wire).messages.map(messageFromProto);
    assert.deepEqual(plainBytes(back), plainBytes(messages));
  }), { numRuns: 300, seed: 7 });
});

test('entries, hard states and snapshots survive a trip through the disk form', () => {
  fc.assert(fc.property(entryArb, snapshotArb, u53, nodeId, (e, s, n, vote) => {
    assert.deepEqual(plainBytes(decodeEntry(encodeEntry(e))), plainBytes(e));
    assert.deepEqual(plainBytes(decodeSnapshot(encodeSnapshot(s))), plainBytes(s));
    const hs = { term: n, vote, commit: Math.floor(n / 2) };
    assert.deepEqual(decodeHardState(encodeHardState(hs)), hs);
  }), { numRuns: 300, seed: 11 });
});

test('a uint64 beyond 2^53 is rejected as malformed, not rounded', () => {
  const m = create(MessageSchema, { type: 1, term: 2n ** 60n });
  assert.throws(() => messageFromProto(m), (e: unknown) => e instanceof CodecError && e.code === 'MalformedRaftProto');
});
