// Public surface of the gateway's data path (what the S3/OSS handlers use).
export { type DataPathOptions, ObjectDataPath } from './object-data-path.ts';
export type { ByteRange } from './object-read.ts';
export type { StripeInit, WriteOptions, WriteResult } from './object-write.ts';
export type { SchemeInit } from './scheme-codec.ts';
export * as dataPathLimits from './data-path-limits.ts';
