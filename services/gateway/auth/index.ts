// Public surface of gateway authentication: SigV4 verification (header and presigned), request
// body decoding and verification (aws-chunked, x-amz-content-sha256, Content-MD5, flexible
// checksums), and the checksum hashers the gateway reuses for stored objects.
export {
  type Authentication, authenticate, type Credential, type CredentialLookup, type CredentialUser,
} from './authenticate.ts';
export {
  DEFAULT_MAX_BODY_BYTES, MAX_AWS_CHUNK_BYTES, MAX_CLOCK_SKEW_MS, MAX_PRESIGNED_EXPIRES_SECONDS,
} from './auth-limits.ts';
export {
  type Checksum, type ChecksumAlgorithm, CHECKSUM_ALGORITHMS, CHECKSUM_DIGEST_BYTES, checksumAlgorithmOfHeader, checksumDisplayName,
  checksumHeaderName, createChecksum, parseChecksumAlgorithm,
} from './checksum.ts';
export type { ChunkSigningContext } from './chunk-signature-chain.ts';
export { Crc64Nvme, crc64Nvme } from './crc64-nvme.ts';
export { isAwsChunked, type PayloadSigning } from './payload-signing.ts';
export { type BodyDigests, openRequestBody, readBodyFully, type RequestBody, type RequestBodyOptions } from './request-body.ts';
export type { RequestView } from './request-view.ts';
