// Every limit of the authorization core, named once. Policies are parsed when they are stored
// (PutBucketPolicy, an admin attaching a user policy), so these bound what evaluation can cost.

/** A bucket policy's JSON text, in UTF-8 bytes (the 16 KB; S3 itself allows 20 KB). */
export const MAX_BUCKET_POLICY_BYTES = 16 * 1024;
/** A user (identity) policy's JSON text, in UTF-8 bytes: RAM and IAM both cap custom policies at 6144 characters. */
export const MAX_USER_POLICY_BYTES = 6 * 1024;
/** Statements in one policy; far above what fits in 16 KB of useful statements, it bounds the loop anyway. */
export const MAX_STATEMENTS = 256;
/** One pattern or condition value (an ARN, a Referer, a prefix); S3 keys are at most 1024 bytes. */
export const MAX_POLICY_STRING_LENGTH = 2048;
/** Referer entries in one OSS RefererConfiguration (whitelist and blacklist together). */
export const MAX_REFERER_ENTRIES = 200;
/** One Referer entry, in characters. */
export const MAX_REFERER_ENTRY_LENGTH = 1024;
