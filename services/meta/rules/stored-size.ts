// Stored bytes of an object part: its plaintext size, or with server-side encryption its size
// as encrypted blocks (records.proto EncryptionEnvelope: each block adds block_overhead bytes).
// Manifests describe stored bytes; versions and upload parts keep the plaintext sizes clients see.
import type { EncryptionEnvelope } from '../../common/gen/zonestore/meta/v1/records_pb.ts';

export function storedPartSize(plainSize: bigint, encryption: EncryptionEnvelope | undefined): bigint {
  if (!encryption || encryption.blockSize === 0n || encryption.blockOverhead === 0 || plainSize === 0n) return plainSize;
  const blocks = (plainSize + encryption.blockSize - 1n) / encryption.blockSize;
  return plainSize + blocks * BigInt(encryption.blockOverhead);
}
