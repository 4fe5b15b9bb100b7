// Every piece of stored data the metadata service knows, one object at a time: every version
// of every key of every bucket (delete markers hold no data), and every part of every
// in-progress multipart upload. Paged through meta's listings, so memory stays bounded by a
// page; objects deleted between a listing and the read of their manifest are skipped (they
// need no redundancy any more), as are buckets deleted mid-walk.
import { isMetaError } from '../../meta/meta-error.ts';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import { storedPart, storedVersion, type DataRef, type StoredData } from './stored-data.ts';

/** Page sizes of the walk's listings (meta caps them at its own maxima). */
export const WALK_PAGE = { buckets: 1000, versions: 1000, uploads: 1000, parts: 1000 } as const;

/** A record the walk could not make sense of (reported, never thrown, so one bad record stops nothing). */
export interface WalkProblem {
  readonly ref: DataRef;
  readonly message: string;
}

const GONE = new Set(['NoSuchBucket', 'NoSuchKey', 'NoSuchVersion', 'NoSuchUpload', 'MethodNotAllowed']);

function isGone(err: unknown): boolean {
  return isMetaError(err) && GONE.has(err.code);
}

export async function* walkStoredData(
  meta: MetaClient, onProblem: (p: WalkProblem) => void, signal?: AbortSignal,
): AsyncGenerator<StoredData> {
  for await (const bucket of bucketNames(meta)) {
    signal?.throwIfAborted();
    try {
      yield* versionsOf(meta, bucket, onProblem, signal);
      yield* uploadsOf(meta, bucket, onProblem, signal);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
  }
}

async function* bucketNames(meta: MetaClient): AsyncGenerator<string> {
  let startAfter = '';
  for (;;) {
    const page = await meta.call('listBuckets', { startAfter, maxBuckets: WALK_PAGE.buckets });
    for (const b of page.buckets) yield b.name;
    if (!page.isTruncated || page.buckets.length === 0) return;
    startAfter = page.buckets[page.buckets.length - 1]!.name;
  }
}

async function* versionsOf(meta: MetaClient, bucket: string, onProblem: (p: WalkProblem) => void, signal?: AbortSignal): AsyncGenerator<StoredData> {
  let keyMarker = '';
  let versionIdMarker = '';
  for (;;) {
    const page = await meta.call('listObjectVersions', { bucket, keyMarker, versionIdMarker, maxKeys: WALK_PAGE.versions });
    for (const v of page.versions) {
      signal?.throwIfAborted();
      if (v.deleteMarker) continue;
      const ref: DataRef = { bucket, key: v.key, versionId: v.versionId, uploadId: '' };
      let manifest;
      try {
        manifest = (await meta.call('getObject', { bucket, key: v.key, versionId: v.versionId })).version?.manifest;
      } catch (err) {
        if (isGone(err)) continue;
        throw err;
      }
      if (!manifest) continue;
      try {
        yield storedVersion(ref, manifest);
      } catch (err) {
        onProblem({ ref, message: (err as Error).message });
      }
    }
    if (!page.isTruncated) return;
    keyMarker = page.nextKeyMarker;
    versionIdMarker = page.nextVersionIdMarker;
  }
}

async function* uploadsOf(meta: MetaClient, bucket: string, onProblem: (p: WalkProblem) => void, signal?: AbortSignal): AsyncGenerator<StoredData> {
  let keyMarker = '';
  let uploadIdMarker = '';
  for (;;) {
    const page = await meta.call('listMultipartUploads', { bucket, keyMarker, uploadIdMarker, maxUploads: WALK_PAGE.uploads });
    for (const u of page.uploads) {
      signal?.throwIfAborted();
      const ref: DataRef = { bucket, key: u.key, versionId: '', uploadId: u.uploadId };
      try {
        const parts = [];
        let partNumberMarker = 0;
        for (;;) {
          const p = await meta.call('listParts', {
            bucket, key: u.key, uploadId: u.uploadId, partNumberMarker, maxParts: WALK_PAGE.parts, includeStripes: true,
          });
          for (const part of p.parts) if (part.data) parts.push(storedPart(part.data, { scheme: u.scheme, blockSize: u.blockSize }));
          if (!p.isTruncated) break;
          partNumberMarker = p.nextPartNumberMarker;
        }
        yield { ref, parts };
      } catch (err) {
        if (isGone(err)) continue;
        if (isMetaError(err)) throw err;
        onProblem({ ref, message: (err as Error).message });
      }
    }
    if (!page.isTruncated) return;
    keyMarker = page.nextKeyMarker;
    uploadIdMarker = page.nextUploadIdMarker;
  }
}
