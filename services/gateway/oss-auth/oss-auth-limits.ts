// Every limit OSS authentication enforces, named in one place.
import { MAX_CLOCK_SKEW_MS, MAX_PRESIGNED_EXPIRES_SECONDS } from '../auth/index.ts';

/** How far a header-signed request's clock may be from ours; OSS allows 15 minutes, as S3. */
export const MAX_OSS_CLOCK_SKEW_MS = MAX_CLOCK_SKEW_MS;

/** The longest lifetime (x-oss-expires) of a V4 presigned URL: seven days, in seconds. */
export const MAX_OSS_V4_EXPIRES_SECONDS = MAX_PRESIGNED_EXPIRES_SECONDS;

/**
 * Derived V4 signing keys kept (each costs four HMACs). One exists per secret, day and region,
 * so a small cache covers every active key.
 */
export const OSS_V4_SIGNING_KEY_CACHE_ENTRIES = 1024;

/** Longest Authorization header value parsed; anything longer is malformed (InvalidArgument). */
export const MAX_OSS_AUTHORIZATION_CHARS = 4096;
