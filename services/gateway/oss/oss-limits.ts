// The OSS protocol's own limits, named once (where OSS and S3 agree the S3 names in
// ../s3/s3-limits.ts apply: part numbers, list page sizes, DeleteMultipleObjects keys).

/** OSS keys are 1..1023 bytes of UTF-8 (S3 allows 1024). */
export const MAX_OSS_KEY_BYTES = 1023;
/** Tags per object, and the length of a tag's key and value, in characters. */
export const MAX_OBJECT_TAGS = 10;
export const MAX_TAG_KEY_CHARS = 128;
export const MAX_TAG_VALUE_CHARS = 256;
/** Alibaba Cloud's domain: every OSS endpoint lives under it. */
export const ALIYUN_DOMAIN = 'aliyuncs.com';
