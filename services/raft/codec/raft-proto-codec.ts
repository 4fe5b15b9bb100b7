// Converts the core's plain Raft values to and from their protobuf wire/disk forms
// (proto/zonestore/raft/v1/raft.proto). The core uses numbers; protobuf-es uses bigint for
// uint64, so the conversion happens here and only here. Message objects are built as literals
// with `$typeName` rather than through `create()`: this runs once per entry per hop on the
// hot path, and the literal form is checked against the generated types all the same.
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import * as pb from '../../common/gen/zonestore/raft/v1/raft_pb.ts';
import type {
  ConfState, Entry, EntryType, HardState, Message, MessageType, Snapshot,
} from '../types.ts';

const EMPTY = new Uint8Array(0);

/** A uint64 the core can hold as a number; larger values cannot come from a correct peer. */
function toNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new CodecError(`uint64 ${v} exceeds 2^53`);
  return Number(v);
}

export class CodecError extends Error {
  readonly code = 'MalformedRaftProto';
}

export function entryToProto(e: Entry): pb.Entry {
  return {
    $typeName: 'zonestore.raft.v1.Entry',
    term: BigInt(e.term),
    index: BigInt(e.index),
    type: e.type as number as pb.EntryType,
    data: e.data,
  };
}

export function entryFromProto(e: pb.Entry): Entry {
  return {
    term: toNumber(e.term),
    index: toNumber(e.index),
    type: e.type as number as EntryType,
    data: e.data,
  };
}

export function hardStateToProto(h: HardState): pb.HardState {
  return {
    $typeName: 'zonestore.raft.v1.HardState',
    term: BigInt(h.term),
    vote: h.vote,
    commit: BigInt(h.commit),
  };
}

export function hardStateFromProto(h: pb.HardState): HardState {
  return { term: toNumber(h.term), vote: h.vote, commit: toNumber(h.commit) };
}

function confToProto(c: ConfState): pb.ConfState {
  return { $typeName: 'zonestore.raft.v1.ConfState', voters: [...c.voters], learners: [...c.learners] };
}

export function snapshotToProto(s: Snapshot): pb.Snapshot {
  return {
    $typeName: 'zonestore.raft.v1.Snapshot',
    metadata: {
      $typeName: 'zonestore.raft.v1.SnapshotMetadata',
      index: BigInt(s.meta.index),
      term: BigInt(s.meta.term),
      conf: confToProto(s.meta.conf),
    },
    data: s.data,
  };
}

export function snapshotFromProto(s: pb.Snapshot): Snapshot {
  const m = s.metadata;
  return {
    meta: {
      index: m ? toNumber(m.index) : 0,
      term: m ? toNumber(m.term) : 0,
      conf: { voters: [...(m?.conf?.voters ?? [])], learners: [...(m?.conf?.learners ?? [])] },
    },
    data: s.data,
  };
}

export function messageToProto(m: Message): pb.Message {
  return {
    $typeName: 'zonestore.raft.v1.Message',
    type: m.type as number as pb.MessageType,
    from: m.from,
    to: m.to,
    term: BigInt(m.term),
    logTerm: BigInt(m.logTerm),
    index: BigInt(m.index),
    entries: m.entries.map(entryToProto),
    commit: BigInt(m.commit),
    reject: m.reject,
    rejectHint: BigInt(m.rejectHint),
    snapshot: m.snapshot ? snapshotToProto(m.snapshot) : undefined,
    context: m.context ?? EMPTY,
  };
}

/** Throws CodecError on values no correct peer sends (uint64 beyond 2^53). */
export function messageFromProto(m: pb.Message): Message {
  const out: Message = {
    type: m.type as number as MessageType,
    from: m.from,
    to: m.to,
    term: toNumber(m.term),
    logTerm: toNumber(m.logTerm),
    index: toNumber(m.index),
    entries: m.entries.map(entryFromProto),
    commit: toNumber(m.commit),
    reject: m.reject,
    rejectHint: toNumber(m.rejectHint),
  };
  if (m.snapshot) out.snapshot = snapshotFromProto(m.snapshot);
  // An absent and an empty context are the same on the wire; the core treats both as unused.
  if (m.context.length > 0) out.context = m.context;
  return out;
}

export function messageBatchToProto(messages: Message[]): pb.MessageBatch {
  return { $typeName: 'zonestore.raft.v1.MessageBatch', messages: messages.map(messageToProto) };
}

export function encodeEntry(e: Entry): Uint8Array {
  return toBinary(pb.EntrySchema, entryToProto(e));
}

export function decodeEntry(bytes: Uint8Array): Entry {
  return entryFromProto(fromBinary(pb.EntrySchema, bytes));
}

export function encodeHardState(h: HardState): Uint8Array {
  return toBinary(pb.HardStateSchema, hardStateToProto(h));
}

export function decodeHardState(bytes: Uint8Array): HardState {
  return hardStateFromProto(fromBinary(pb.HardStateSchema, bytes));
}

export function encodeSnapshot(s: Snapshot): Uint8Array {
  return toBinary(pb.SnapshotSchema, snapshotToProto(s));
}

export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  return snapshotFromProto(fromBinary(pb.SnapshotSchema, bytes));
}
