// Every limit of the metadata service, named once. S3's published limits where S3 has one.

/** Longest object key, in UTF-8 bytes (S3). */
export const MAX_OBJECT_KEY_BYTES = 1024;
/** Most entries (keys + common prefixes) one list call returns, and the default (S3). */
export const MAX_LIST_KEYS = 1000;
/** Most buckets one ListBuckets call returns. */
export const MAX_LIST_BUCKETS = 10_000;
/** Highest multipart part number (S3). */
export const MAX_PART_NUMBER = 10_000;
/** Most parts one ListParts call returns (S3). */
export const MAX_LIST_PARTS = 1000;
/** Most uploads one ListMultipartUploads call returns (S3). */
export const MAX_LIST_UPLOADS = 1000;
/**
 * Default smallest size of every part of a multipart upload except the last (S3: 5 MiB).
 * Configurable per replica; the leader stamps its value into each command so apply stays
 * deterministic.
 */
export const DEFAULT_MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;
/** Largest total of user metadata names + values (S3: 2 KiB). */
export const MAX_USER_META_BYTES = 2 * 1024;
/** Largest bucket configuration document (policies, lifecycle rules ...). */
export const MAX_CONFIG_DOCUMENT_BYTES = 256 * 1024;
/** Most grants in one ACL (S3: 100). */
export const MAX_ACL_GRANTS = 100;
/** Longest bucket config kind name. */
export const MAX_CONFIG_KIND_LENGTH = 64;
/** Longest data node id / zone name / address. */
export const MAX_NODE_FIELD_LENGTH = 256;
/** Change-feed entries kept, counted in Raft indexes behind the applied index. */
export const FEED_RETAINED_INDEXES = 100_000;
/** Most change sets one Watch message carries. */
export const MAX_WATCH_BATCH = 256;
/** Most garbage items one ListGarbage call returns. */
export const MAX_LIST_GARBAGE = 1000;
/** Longest ETag accepted in preconditions and parts. */
export const MAX_ETAG_LENGTH = 256;
/** Most tags on one object version (S3 and OSS). */
export const MAX_OBJECT_TAGS = 10;
/** Longest tag key, in characters (code points), and shortest. */
export const MAX_TAG_KEY_CHARS = 128;
/** Longest tag value, in characters (code points); empty values are allowed. */
export const MAX_TAG_VALUE_CHARS = 256;
/** Largest appendable object (OSS: 5 GiB). */
export const MAX_APPENDABLE_OBJECT_BYTES = 5n * 1024n * 1024n * 1024n;
/**
 * Most appends one appendable object takes: each is a manifest part, and every append rewrites
 * the manifest, so the count bounds the work of one apply.
 */
export const MAX_APPENDED_PARTS = 10_000;

// ---- identities (accounts, users, access keys, user policies) -------------------------------
/** Most accounts besides root. */
export const MAX_ACCOUNTS = 1_000;
/** Most users in one account (RAM: 1000). */
export const MAX_USERS_PER_ACCOUNT = 1_000;
/** Most access keys of one user, or of an account itself (IAM and RAM: 2; a little room for rotation). */
export const MAX_ACCESS_KEYS_PER_USER = 4;
/** Most policies attached to one user. */
export const MAX_POLICIES_PER_USER = 10;
/** Largest user policy document, UTF-8 bytes (RAM: 6 KiB; the gateway checks the same limit). */
export const MAX_USER_POLICY_BYTES = 6 * 1024;
/** Largest sealed secret (nonce + ciphertext + tag of a secret of at most 128 characters). */
export const MAX_SEALED_SECRET_BYTES = 256;

// ---- KMS (keys, versions, aliases; issue #12) ----------------------------------------------
/** Most KMS keys of one account (customer keys and the default key; AWS: 100 000 per region). */
export const MAX_KMS_KEYS_PER_ACCOUNT = 1_000;
/** Most aliases of one account. */
export const MAX_KMS_ALIASES_PER_ACCOUNT = 1_000;
/** Most versions one key keeps (every one stays for decrypt): yearly rotation for a century, or on-demand ones. */
export const MAX_KMS_KEY_VERSIONS = 100;
/** Most on-demand rotations of one key (AWS: 10). */
export const MAX_KMS_ON_DEMAND_ROTATIONS = 25;
/** Largest wrapped key material (nonce + ciphertext + tag of 32 bytes). */
export const MAX_KMS_WRAPPED_MATERIAL_BYTES = 128;
/** Largest wrapped import private key (PKCS#8 DER of an RSA-3072 key, wrapped). */
export const MAX_KMS_WRAPPED_PRIVATE_KEY_BYTES = 4096;
/** Largest key policy, UTF-8 bytes (AWS: 32 KiB). */
export const MAX_KMS_KEY_POLICY_BYTES = 32 * 1024;
/** Longest key description (AWS: 8192 characters). */
export const MAX_KMS_DESCRIPTION_CHARS = 8192;
/** Deletion waiting period bounds and default, days (AWS: 7 to 30, default 30). */
export const MIN_KMS_PENDING_WINDOW_DAYS = 7;
export const MAX_KMS_PENDING_WINDOW_DAYS = 30;
export const DEFAULT_KMS_PENDING_WINDOW_DAYS = 30;
/** Rotation period bounds and default, days (AWS: 90 to 2560, default 365; 1 allowed here so tests can see one). */
export const MIN_KMS_ROTATION_PERIOD_DAYS = 1;
export const MAX_KMS_ROTATION_PERIOD_DAYS = 2560;
export const DEFAULT_KMS_ROTATION_PERIOD_DAYS = 365;
