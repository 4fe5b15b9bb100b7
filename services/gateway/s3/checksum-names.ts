// Checksum algorithms as meta stores them (lowercase keys of ObjectVersion.checksums) and as S3
// names them on the wire: x-amz-checksum-<alg> headers and Checksum<ALG> XML elements.
// crc64ecma (OSS) has no S3 name and is never rendered by this dialect.

export const S3_CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type S3ChecksumAlgorithm = (typeof S3_CHECKSUM_ALGORITHMS)[number];

const ELEMENT: Readonly<Record<S3ChecksumAlgorithm, string>> = {
  crc32: 'ChecksumCRC32', crc32c: 'ChecksumCRC32C', crc64nvme: 'ChecksumCRC64NVME', sha1: 'ChecksumSHA1', sha256: 'ChecksumSHA256',
};

export function isS3ChecksumAlgorithm(alg: string): alg is S3ChecksumAlgorithm {
  return Object.hasOwn(ELEMENT, alg);
}

export function checksumHeaderName(alg: S3ChecksumAlgorithm): string {
  return `x-amz-checksum-${alg}`;
}

export function checksumElementName(alg: S3ChecksumAlgorithm): string {
  return ELEMENT[alg];
}

/** The algorithm an XML element (ChecksumCRC32 …) names, if any. */
export function checksumAlgorithmOfElement(element: string): S3ChecksumAlgorithm | undefined {
  return S3_CHECKSUM_ALGORITHMS.find((alg) => ELEMENT[alg] === element);
}

/** The S3-named checksums of a stored map, in a fixed order. */
export function s3Checksums(checksums: Readonly<Record<string, string>>): Array<[S3ChecksumAlgorithm, string]> {
  const out: Array<[S3ChecksumAlgorithm, string]> = [];
  for (const alg of S3_CHECKSUM_ALGORITHMS) {
    const value = checksums[alg];
    if (value) out.push([alg, value]);
  }
  return out;
}
