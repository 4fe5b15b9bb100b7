import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { MessageBatchSchema, MessageSchema } from '../../../../services/common/gen/zonestore/raft/v1/raft_pb.ts';
import {
  decodeEntry, decodeHardState, decodeSnapshot, encodeEntry, encodeHardState, encodeSnapshot,
  messageBatchToProto, messageFromProto, CodecError,
} from '../../../../services/raft/codec/raft-proto-codec.ts';
import {
  decodeEntryFast, decodeHardStateFast, decodeMessageBatch, encodeEntryFast, encodeHardStateFast,
  encodeMessageBatch,
} from '../../../../services/raft/codec/raft-wire-codec.ts';
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
  // `this[k]` is the raw value: JSON.stringify has already applied Buffer's toJSON to `x`.
  return JSON.parse(JSON.stringify(v, function (this: Record<string, unknown>, k, x) {
    const raw = this[k];
    return raw instanceof Uint8Array ? Array.from(raw) : x;
  })) as T;
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

test('the hand-written wire codec writes exactly the bytes protobuf-es writes, and reads them back', () => {
  fc.assert(fc.property(fc.array(messageArb, { maxLength: 4 }), (messages) => {
    const reference = toBinary(MessageBatchSchema, messageBatchToProto(messages));
    const fast = encodeMessageBatch(messages);
    assert.deepEqual(new Uint8Array(fast), reference);
    assert.deepEqual(plainBytes(decodeMessageBatch(reference)), plainBytes(messages));
  }), { numRuns: 300, seed: 13 });
  fc.assert(fc.property(entryArb, (e) => {
    assert.deepEqual(new Uint8Array(encodeEntryFast(e)), encodeEntry(e));
    assert.deepEqual(plainBytes(decodeEntryFast(encodeEntry(e))), plainBytes(e));
  }), { numRuns: 300, seed: 17 });
  fc.assert(fc.property(u53, u53, fc.string(), (term, commit, vote) => {
    const hs = { term, vote, commit };
    assert.deepEqual(new Uint8Array(encodeHardStateFast(hs)), encodeHardState(hs));
    assert.deepEqual(decodeHardStateFast(encodeHardState(hs)), hs);
  }), { numRuns: 300, seed: 19 });
});

test('the wire codec skips a malformed message and keeps the rest of the batch', () => {
  const good: Message = { type: MessageType.Heartbeat, from: 'z1', to: 'z2', term: 4, logTerm: 0, index: 0, entries: [], commit: 3, reject: false, rejectHint: 0 };
  const bad = create(MessageSchema, { type: 1, term: 2n ** 60n });
  const bytes = toBinary(MessageBatchSchema, { ...messageBatchToProto([good, good]), messages: [messageBatchToProto([good]).messages[0]!, bad, messageBatchToProto([good]).messages[0]!] });
  const malformed: Error[] = [];
  const out = decodeMessageBatch(bytes, (e) => malformed.push(e));
  assert.equal(out.length, 2);
  assert.equal(malformed.length, 1);
  assert.ok(malformed[0] instanceof CodecError);
});
