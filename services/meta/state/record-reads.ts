// Reads shared by commands and queries: buckets, versions, manifests, and the chunks a
// manifest refers to.
import { fromBinary } from '@bufbuild/protobuf';
import {
  BucketSchema, ManifestSchema, ObjectVersionSchema, type Bucket, type ChunkRef, type Manifest,
  type ObjectVersion, type Stripe,
} from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { create } from '@bufbuild/protobuf';
import { ChunkRefSchema } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { MetaError } from '../meta-error.ts';
import { key, prefixEnd, readU64, sequenceOfVersionKey } from './meta-keys.ts';
import type { MetaStateStore, ReadView } from './meta-state-store.ts';
import type { ApplyContext } from './apply-context.ts';

/** Something that can read records: the store (queries) or an apply context (commands). */
export interface RecordReader {
  get: ApplyContext['get'];
}

export function storeReader(store: MetaStateStore, view?: ReadView): RecordReader {
  return { get: (schema, k) => store.get(schema, k, view) } as RecordReader;
}

export async function requireBucket(r: RecordReader, name: string): Promise<Bucket> {
  const b = await r.get(BucketSchema, key.bucket(name));
  if (!b) throw new MetaError('NoSuchBucket', `bucket ${name} does not exist`, { bucket: name });
  return b;
}

export async function currentVersion(r: RecordReader, bucket: string, objectKey: string): Promise<ObjectVersion | undefined> {
  return r.get(ObjectVersionSchema, key.current(bucket, objectKey));
}

export async function nullVersionSequence(r: { getRaw(k: Uint8Array): Promise<Uint8Array | undefined> }, bucket: string, objectKey: string): Promise<number | undefined> {
  const raw = await r.getRaw(key.nullVersion(bucket, objectKey));
  return raw ? readU64(raw) : undefined;
}

/**
 * The newest stored version (or delete marker) of a key, skipping `skipSequence` (a version
 * the caller is deleting in the same command). Reads the store, not pending writes.
 */
export async function latestVersion(store: MetaStateStore, bucket: string, objectKey: string, skipSequence = -1, view?: ReadView): Promise<ObjectVersion | undefined> {
  const space = key.versionsOf(bucket, objectKey);
  const it = store.iterator({ gte: space, lt: prefixEnd(space)!, limit: 2, snapshot: view });
  try {
    for (;;) {
      const kv = await it.next();
      if (!kv) return undefined;
      if (sequenceOfVersionKey(kv[0]) === skipSequence) continue;
      return fromBinary(ObjectVersionSchema, kv[1]);
    }
  } finally {
    await it.close();
  }
}

export async function loadManifest(r: RecordReader, sequence: number): Promise<Manifest | undefined> {
  return r.get(ManifestSchema, key.manifest(sequence));
}

export function chunksOfStripes(stripes: Stripe[]): ChunkRef[] {
  const out: ChunkRef[] = [];
  for (const s of stripes) for (const sh of s.shards) out.push(create(ChunkRefSchema, { node: sh.node, chunkId: sh.chunkId }));
  return out;
}

export function chunksOfManifest(m: Manifest | undefined): ChunkRef[] {
  if (!m) return [];
  return m.parts.flatMap((p) => chunksOfStripes(p.stripes));
}

/** A copy without the manifest, as stored under c/ and v/ and returned by listings. */
export function summaryOf(v: ObjectVersion): ObjectVersion {
  return { ...v, manifest: undefined, isLatest: false };
}
