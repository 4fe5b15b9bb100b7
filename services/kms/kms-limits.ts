// Every limit of the key service, named once (AWS KMS's published values where it has one).

/** Root key and key material: AES-256. */
export const KEY_MATERIAL_BYTES = 32;
/** GCM nonce and tag. */
export const GCM_NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;
/** Largest plaintext Encrypt takes (AWS: 4096 bytes). */
export const MAX_ENCRYPT_PLAINTEXT_BYTES = 4096;
/** Largest ciphertext blob Decrypt takes (AWS: 6144 bytes). */
export const MAX_CIPHERTEXT_BLOB_BYTES = 6144;
/** GenerateDataKey NumberOfBytes (AWS: 1 to 1024). */
export const MAX_DATA_KEY_BYTES = 1024;
/** Most encryption context pairs, and the largest total of their UTF-8 bytes. */
export const MAX_ENCRYPTION_CONTEXT_PAIRS = 64;
export const MAX_ENCRYPTION_CONTEXT_BYTES = 8192;
/** How long an import token and its RSA key stay valid (AWS: 24 h). */
export const IMPORT_TOKEN_VALID_MS = 24 * 3_600_000;
export const IMPORT_TOKEN_BYTES = 48;
/**
 * How long a gateway trusts a key record it read (state, versions, policy): a key disabled or
 * scheduled for deletion through another gateway stops working here within this bound (through
 * this gateway: at once).
 */
export const KEY_RECORD_TTL_MS = 2_000;
/** How long unwrapped key material stays in memory, and how many versions at most. */
export const KEY_MATERIAL_TTL_MS = 60_000;
export const MAX_CACHED_KEY_MATERIALS = 10_000;
export const MAX_CACHED_KEY_RECORDS = 10_000;
/** How often a gateway sweeps every key for due rotations and due deletions. */
export const KMS_SWEEP_INTERVAL_MS = 10 * 60_000;
