// The key layout of the metadata state in classic-level. Every key is bytes; LevelDB's byte
// order is what gives listings their order, so object keys are stored as raw UTF-8 (S3 lists
// in UTF-8 binary order) and numbers as fixed-width big-endian.
//
//   b/<bucket>                         Bucket
//   c/<bucket>\0<key>                  ObjectVersion: the current (newest, not a delete marker)
//                                      version of a key, without manifest — what ListObjects walks
//   v/<bucket>\0<key>\0<~sequence>     ObjectVersion without manifest, every version and delete
//                                      marker; ~sequence (inverted) puts the newest first
//   n/<bucket>\0<key>                  sequence of the key's "null" version
//   x/<sequence>                       Manifest of the version written at that sequence
//   u/<bucket>\0<key>\0<upload id>     MultipartUpload (upload ids sort in initiation order)
//   p/<upload id>\0<part number>       UploadPart
//   s/<bucket>                         BucketStat (counters kept by every apply)
//   s/                                 marker: the s/ records are complete (see stats/)
//   d/<node id>                        DataNode (the placement map)
//   f/<index>                          ChangeSet committed at that Raft index
//   g/<index><sub>                     GarbageItem queued at that Raft index
//   a/<account id>                     Account (identities; the root account is not stored)
//   i/<account id>\0<user name>        User, with its policies
//   k/<access key id>                  AccessKey (the secret sealed by the gateway)
//   q/<account id>\0<user name>\0<id>  empty: index of a user's (or, user name empty, the account's) keys
//   K/<key id>                         KmsKey (key material wrapped by the gateway's KMS root key)
//   J/<account id>\0<key id>           empty: index of an account's KMS keys
//   A/<account id>\0<alias name>       KmsAlias
//   m/applied                          last applied Raft index (written in every apply batch)
//   m/restoring                        present while a snapshot is being installed
//
// Bucket names cannot contain NUL and object keys are refused if they do, so NUL separates.
// A sequence is the Raft index of the command that wrote the version.

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });
const SEP = 0x00;
const U64_BYTES = 8;
const TWO_POW_32 = 2 ** 32;
/** Largest sequence the layout can store (the JS safe-integer limit). */
export const MAX_SEQUENCE = Number.MAX_SAFE_INTEGER;

export const PREFIX = {
  bucket: 'b/',
  current: 'c/',
  version: 'v/',
  nullVersion: 'n/',
  manifest: 'x/',
  upload: 'u/',
  part: 'p/',
  bucketStat: 's/',
  dataNode: 'd/',
  feed: 'f/',
  garbage: 'g/',
  meta: 'm/',
  account: 'a/',
  user: 'i/',
  accessKey: 'k/',
  keyIndex: 'q/',
  kmsKey: 'K/',
  kmsKeyIndex: 'J/',
  kmsAlias: 'A/',
} as const;

export const APPLIED_KEY = enc.encode('m/applied');
export const RESTORING_KEY = enc.encode('m/restoring');
/**
 * Present when every bucket's s/ record is there. Under s/ rather than m/ so that snapshots
 * carry it (m/ keys are not streamed); no bucket has an empty name, so it is no bucket's key.
 */
export const BUCKET_STATS_MARKER_KEY = enc.encode(PREFIX.bucketStat);

export function utf8(s: string): Uint8Array {
  return enc.encode(s);
}

export function fromUtf8(b: Uint8Array): string {
  return dec.decode(b);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function u64(n: number): Uint8Array {
  const b = new Uint8Array(U64_BYTES);
  const v = new DataView(b.buffer);
  v.setUint32(0, Math.floor(n / TWO_POW_32));
  v.setUint32(4, n >>> 0);
  return b;
}

export function readU64(b: Uint8Array, offset = 0): number {
  const v = new DataView(b.buffer, b.byteOffset + offset, U64_BYTES);
  return v.getUint32(0) * TWO_POW_32 + v.getUint32(4);
}

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/** Newest-first order: larger sequences get smaller keys. */
function invertedSequence(seq: number): Uint8Array {
  return u64(MAX_SEQUENCE - seq);
}

const SEP_BYTES = Uint8Array.of(SEP);
const pfx = (p: string) => enc.encode(p);

export const key = {
  bucket: (bucket: string) => concat(pfx(PREFIX.bucket), utf8(bucket)),
  bucketPrefix: () => pfx(PREFIX.bucket),

  /** Start of a bucket's key space in the c/, v/, n/ or u/ family: `<family><bucket>\0`. */
  bucketSpace: (family: 'current' | 'version' | 'nullVersion' | 'upload', bucket: string) =>
    concat(pfx(PREFIX[family]), utf8(bucket), SEP_BYTES),

  current: (bucket: string, objectKey: string) => concat(key.bucketSpace('current', bucket), utf8(objectKey)),
  nullVersion: (bucket: string, objectKey: string) => concat(key.bucketSpace('nullVersion', bucket), utf8(objectKey)),
  /** All versions of one key: `v/<bucket>\0<key>\0`. */
  versionsOf: (bucket: string, objectKey: string) => concat(key.bucketSpace('version', bucket), utf8(objectKey), SEP_BYTES),
  version: (bucket: string, objectKey: string, seq: number) => concat(key.versionsOf(bucket, objectKey), invertedSequence(seq)),
  manifest: (seq: number) => concat(pfx(PREFIX.manifest), u64(seq)),

  uploadsOf: (bucket: string, objectKey: string) => concat(key.bucketSpace('upload', bucket), utf8(objectKey), SEP_BYTES),
  upload: (bucket: string, objectKey: string, uploadId: string) => concat(key.uploadsOf(bucket, objectKey), utf8(uploadId)),
  partsOf: (uploadId: string) => concat(pfx(PREFIX.part), utf8(uploadId), SEP_BYTES),
  part: (uploadId: string, partNumber: number) => concat(key.partsOf(uploadId), u32(partNumber)),

  bucketStat: (bucket: string) => concat(pfx(PREFIX.bucketStat), utf8(bucket)),
  bucketStatPrefix: () => pfx(PREFIX.bucketStat),

  dataNode: (id: string) => concat(pfx(PREFIX.dataNode), utf8(id)),
  dataNodePrefix: () => pfx(PREFIX.dataNode),
  feed: (index: number) => concat(pfx(PREFIX.feed), u64(index)),
  feedPrefix: () => pfx(PREFIX.feed),
  garbage: (index: number, sub: number) => concat(pfx(PREFIX.garbage), u64(index), u32(sub)),
  garbagePrefix: () => pfx(PREFIX.garbage),

  account: (id: string) => concat(pfx(PREFIX.account), utf8(id)),
  accountPrefix: () => pfx(PREFIX.account),
  usersOf: (accountId: string) => concat(pfx(PREFIX.user), utf8(accountId), SEP_BYTES),
  user: (accountId: string, name: string) => concat(key.usersOf(accountId), utf8(name)),
  accessKey: (id: string) => concat(pfx(PREFIX.accessKey), utf8(id)),
  /** `q/<account>\0<user>\0`: the index entries of one user's keys (user '' = the account's own). */
  keysOf: (accountId: string, userName: string) => concat(pfx(PREFIX.keyIndex), utf8(accountId), SEP_BYTES, utf8(userName), SEP_BYTES),
  keyIndex: (accountId: string, userName: string, accessKeyId: string) => concat(key.keysOf(accountId, userName), utf8(accessKeyId)),

  kmsKey: (keyId: string) => concat(pfx(PREFIX.kmsKey), utf8(keyId)),
  kmsKeyPrefix: () => pfx(PREFIX.kmsKey),
  /** `J/<account>\0`: the index entries of one account's KMS keys. */
  kmsKeysOf: (accountId: string) => concat(pfx(PREFIX.kmsKeyIndex), utf8(accountId), SEP_BYTES),
  kmsKeyIndex: (accountId: string, keyId: string) => concat(key.kmsKeysOf(accountId), utf8(keyId)),
  kmsAliasesOf: (accountId: string) => concat(pfx(PREFIX.kmsAlias), utf8(accountId), SEP_BYTES),
  kmsAlias: (accountId: string, aliasName: string) => concat(key.kmsAliasesOf(accountId), utf8(aliasName)),
};

/** The two-byte family prefix of a key ("c/", "v/" ...), or "" when it has none. */
export function familyOf(k: Uint8Array): string {
  return k.length >= 2 && k[1] === 0x2f ? String.fromCharCode(k[0]!) + '/' : '';
}

/** The bucket a b/ key names, or the bucket part of a c/, v/, n/ or u/ key (up to the NUL). */
export function bucketOfKey(k: Uint8Array): string {
  const rest = k.subarray(2);
  if (familyOf(k) === PREFIX.bucket) return fromUtf8(rest);
  const sep = rest.indexOf(SEP);
  return fromUtf8(sep < 0 ? rest : rest.subarray(0, sep));
}

/** The sequence stored in a v/ key's last 8 bytes. */
export function sequenceOfVersionKey(k: Uint8Array): number {
  return MAX_SEQUENCE - readU64(k, k.length - U64_BYTES);
}

/** The object key inside a v/ key, given the bucket's v/ space prefix length. */
export function objectKeyOfVersionKey(k: Uint8Array, spaceLength: number): Uint8Array {
  return k.subarray(spaceLength, k.length - U64_BYTES - 1);
}

/** The object key and upload id inside a u/ key. */
export function splitUploadKey(k: Uint8Array, spaceLength: number): { objectKey: Uint8Array; uploadId: string } {
  const rest = k.subarray(spaceLength);
  const sep = rest.lastIndexOf(SEP);
  return { objectKey: rest.subarray(0, sep), uploadId: fromUtf8(rest.subarray(sep + 1)) };
}

/** The part number at the end of a p/ key. */
export function partNumberOfKey(k: Uint8Array): number {
  return new DataView(k.buffer, k.byteOffset + k.length - 4, 4).getUint32(0);
}

/** Garbage item id ("<index>.<sub>") ↔ its g/ key. */
export function garbageId(index: number, sub: number): string {
  return `${index}.${sub}`;
}

export function garbageKeyOfId(id: string): Uint8Array | null {
  const m = /^(\d{1,16})\.(\d{1,5})$/.exec(id);
  if (!m) return null;
  const index = Number(m[1]);
  const sub = Number(m[2]);
  if (!Number.isSafeInteger(index) || sub > 0xffff) return null;
  return key.garbage(index, sub);
}

/**
 * The smallest byte string greater than every string that starts with `prefix`, or null when
 * there is none (all 0xff). Used as the exclusive upper bound of a prefix range.
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array | null {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return null;
  const out = copyBytes(prefix, 0, end);
  out[end - 1]!++;
  return out;
}

/**
 * A fresh copy of bytes [start, end). Not `.slice()`: on a Buffer (classic-level hands out
 * Buffers) that returns a view, and mutating it would corrupt the source.
 */
export function copyBytes(b: Uint8Array, start = 0, end = b.length): Uint8Array {
  return new Uint8Array(b.subarray(start, end));
}

/** Byte order, as LevelDB compares keys. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}
