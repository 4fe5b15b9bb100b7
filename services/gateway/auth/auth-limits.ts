// Every limit the authentication and body-decoding code enforces, named in one place.

/** How far a header-signed request's clock may be from ours: S3 allows 15 minutes. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** The longest lifetime SigV4 allows a presigned URL: seven days, in seconds. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

/**
 * The largest aws-chunked chunk accepted. A signed chunk is held in memory until its signature
 * is checked, so this bounds the decoder's memory per request; SDKs send 64 KiB to 8 MiB.
 */
export const MAX_AWS_CHUNK_BYTES = 16 * 1024 * 1024;

/** The longest chunk-size line ("hex;chunk-signature=<64 hex>") or trailer line accepted. */
export const MAX_CHUNK_LINE_BYTES = 4096;

/** The most trailer lines an aws-chunked body may end with (one checksum and one signature in practice). */
export const MAX_TRAILER_LINES = 16;

/** S3's single-PUT ceiling, the default limit on a request body's decoded size. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 ** 3;

/**
 * Derived signing keys kept (each costs four HMACs to derive). One exists per secret, day and
 * region, so a small cache covers every active key.
 */
export const SIGNING_KEY_CACHE_ENTRIES = 1024;
