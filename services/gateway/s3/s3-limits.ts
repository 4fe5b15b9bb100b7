// The S3 protocol's own limits, named once. Gateway-wide limits (body sizes, timeouts) live
// with the HTTP server; these are the ones the dialect enforces while parsing.

/** An object key is at most this many bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;
/** x-amz-meta-* names (without the prefix) plus values, in UTF-8 bytes. */
export const MAX_USER_METADATA_BYTES = 2048;
export const MIN_PART_NUMBER = 1;
export const MAX_PART_NUMBER = 10_000;
/** Default and ceiling of max-keys, max-uploads and max-parts: larger asks are clamped, as in S3. */
export const MAX_LIST_ENTRIES = 1000;
/** Keys per DeleteObjects request. */
export const MAX_DELETE_OBJECTS = 1000;
/** Parts named in one CompleteMultipartUpload body (one per part number). */
export const MAX_COMPLETE_PARTS = MAX_PART_NUMBER;
/** The region whose LocationConstraint is written as an empty element. */
export const DEFAULT_REGION = 'us-east-1';
