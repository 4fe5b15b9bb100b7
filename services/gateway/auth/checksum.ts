// The flexible checksums S3 clients may send with a body (x-amz-checksum-<algorithm>), as
// incremental hashers. Also used outside authentication: the gateway computes the same values
// for stored objects and for multipart composite checksums.
import { createHash, type Hash } from 'node:crypto';
import { crc32, crc32c } from '@node-rs/crc32';
import { Crc64Nvme } from './crc64-nvme.ts';

export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'crc64nvme' | 'sha1' | 'sha256';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'];

/** Raw digest length per algorithm: what a valid base64 value must decode to. */
export const CHECKSUM_DIGEST_BYTES: Readonly<Record<ChecksumAlgorithm, number>> = {
  crc32: 4, crc32c: 4, crc64nvme: 8, sha1: 20, sha256: 32,
};

export interface Checksum {
  update(data: Uint8Array): void;
  /** The raw digest (CRCs big-endian). May be called more than once; no update after it. */
  digest(): Buffer;
}

export function createChecksum(algorithm: ChecksumAlgorithm): Checksum {
  switch (algorithm) {
    case 'crc32': return new Crc32Checksum(crc32);
    case 'crc32c': return new Crc32Checksum(crc32c);
    case 'crc64nvme': return new Crc64Nvme();
    case 'sha1': return new HashChecksum(createHash('sha1'));
    case 'sha256': return new HashChecksum(createHash('sha256'));
  }
}

/** The header (and trailer) that carries the algorithm's value: `x-amz-checksum-crc32`, ... */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm}`;
}

/** How S3 spells the algorithm in messages and in x-amz-sdk-checksum-algorithm: `CRC32`, ... */
export function checksumDisplayName(algorithm: ChecksumAlgorithm): string {
  return algorithm.toUpperCase();
}

/** The algorithm named by `CRC32`, `crc64nvme`, ... (any case), or undefined. */
export function parseChecksumAlgorithm(name: string): ChecksumAlgorithm | undefined {
  const lower = name.trim().toLowerCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(lower) ? lower as ChecksumAlgorithm : undefined;
}

/** The algorithm whose header this is (`x-amz-checksum-crc32` → crc32), or undefined. */
export function checksumAlgorithmOfHeader(headerName: string): ChecksumAlgorithm | undefined {
  const prefix = 'x-amz-checksum-';
  const lower = headerName.toLowerCase();
  return lower.startsWith(prefix) ? parseChecksumAlgorithm(lower.slice(prefix.length)) : undefined;
}

type Crc32Function = (input: Uint8Array, initialState?: number) => number;

class Crc32Checksum implements Checksum {
  private state = 0;

  constructor(private readonly fn: Crc32Function) {}

  update(data: Uint8Array): void {
    this.state = this.fn(data, this.state);
  }

  digest(): Buffer {
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(this.state >>> 0, 0);
    return out;
  }
}

class HashChecksum implements Checksum {
  private result: Buffer | undefined;

  constructor(private readonly hash: Hash) {}

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  digest(): Buffer {
    // node's Hash can be finalised only once; callers may ask twice (response header + manifest).
    this.result ??= this.hash.digest();
    return this.result;
  }
}
