// Hand-written protobuf wire codec for the KV hot path (Put request in, Put response out).
// protobuf-es decodes by reflection; on the leader at high concurrency that, and the message
// objects it allocates, showed up in CPU profiles. The bytes are exactly protobuf's: the
// tests compare both ways against protobuf-es.
import type { PutRequest, PutResponse } from '../../common/gen/zonestore/kv/v1/kv_pb.ts';

/** Thrown for bytes that are not a valid PutRequest (grpc-js turns it into INTERNAL). */
export class PutCodecError extends Error {}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;
const EMPTY = new Uint8Array(0);

function readVarint(buf: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (at >= buf.length) throw new PutCodecError('truncated varint');
    const b = buf[at++]!;
    value += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return [value, at];
    mul *= 128;
  }
  throw new PutCodecError('varint too long');
}

/** Decodes a PutRequest; key and value are views into `buf` (no copy). */
export function decodePutRequest(buf: Uint8Array): PutRequest {
  let key: Uint8Array<ArrayBuffer> = EMPTY;
  let value: Uint8Array<ArrayBuffer> = EMPTY;
  let at = 0;
  while (at < buf.length) {
    let tag: number;
    [tag, at] = readVarint(buf, at);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === WIRE_LEN) {
      let len: number;
      [len, at] = readVarint(buf, at);
      if (at + len > buf.length) throw new PutCodecError('truncated field');
      const bytes = buf.subarray(at, at + len) as Uint8Array<ArrayBuffer>;
      at += len;
      if (field === 1) key = bytes;
      else if (field === 2) value = bytes;
    } else if (wire === WIRE_VARINT) {
      [, at] = readVarint(buf, at);
    } else if (wire === WIRE_FIXED64) {
      at += 8;
    } else if (wire === WIRE_FIXED32) {
      at += 4;
    } else {
      throw new PutCodecError(`unsupported wire type ${wire}`);
    }
  }
  if (at !== buf.length) throw new PutCodecError('truncated field');
  return { $typeName: 'zonestore.kv.v1.PutRequest', key, value };
}

/** Encodes a PutResponse (field 1: uint64 index; omitted when 0, as protobuf does). */
export function encodePutResponse(msg: PutResponse): Buffer {
  let v = Number(msg.index);
  if (v === 0) return Buffer.alloc(0);
  const out = Buffer.allocUnsafe(11);
  out[0] = 0x08;
  let n = 1;
  while (v >= 0x80) {
    out[n++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[n++] = v;
  return out.subarray(0, n);
}
