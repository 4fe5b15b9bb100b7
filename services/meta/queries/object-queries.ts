// Reading objects: one version (with manifest), ListObjects and ListObjectVersions. Each call
// reads one consistent snapshot of the store; linearizability comes from the caller, which
// waits for a ReadIndex before calling.
import { create, fromBinary } from '@bufbuild/protobuf';
import { ObjectVersionSchema, type ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  GetObjectResponseSchema, ListObjectVersionsResponseSchema, ListObjectsResponseSchema,
  type GetObjectRequest, type GetObjectResponse, type ListObjectVersionsRequest, type ListObjectVersionsResponse,
  type ListObjectsRequest, type ListObjectsResponse,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { MAX_LIST_KEYS } from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import { decodeContinuationToken, encodeContinuationToken } from '../listing/continuation-token.ts';
import { runListing } from '../listing/listing-runner.ts';
import { NULL_VERSION_ID, sequenceOfId } from '../rules/ids.ts';
import { concat, fromUtf8, key, objectKeyOfVersionKey, utf8 } from '../state/meta-keys.ts';
import type { MetaStateStore, ReadView } from '../state/meta-state-store.ts';
import {
  latestVersion, loadManifest, nullVersionSequence, requireBucket, storeReader,
} from '../state/record-reads.ts';
import { assertObjectKey } from '../validation/object-key.ts';
import { LevelListingSource } from './level-listing-source.ts';
import { pageSize } from './query-limits.ts';

export async function withView<T>(store: MetaStateStore, read: (view: ReadView) => Promise<T>): Promise<T> {
  const view = store.view();
  try {
    return await read(view);
  } finally {
    await view.close();
  }
}

export function getObject(store: MetaStateStore, req: GetObjectRequest): Promise<GetObjectResponse> {
  return withView(store, async (view) => {
    const r = storeReader(store, view);
    const where = { bucket: req.bucket, key: req.key };
    await requireBucket(r, req.bucket);
    assertObjectKey(req.bucket, req.key);
    let version: ObjectVersion;
    if (req.versionId === '') {
      const cur = await r.get(ObjectVersionSchema, key.current(req.bucket, req.key));
      if (!cur) {
        const latest = await latestVersion(store, req.bucket, req.key, -1, view);
        const marker: Record<string, string> = latest?.deleteMarker ? { deleteMarker: 'true', versionId: latest.versionId } : {};
        throw new MetaError('NoSuchKey', 'The specified key does not exist.', { ...where, ...marker });
      }
      version = { ...cur, isLatest: true };
    } else {
      const seq = req.versionId === NULL_VERSION_ID
        ? await nullVersionSequence({ getRaw: (k) => store.getRaw(k, view) }, req.bucket, req.key)
        : sequenceOfId(req.versionId);
      const v = seq === undefined || seq === null ? undefined : await r.get(ObjectVersionSchema, key.version(req.bucket, req.key, seq));
      if (!v || v.versionId !== req.versionId) {
        if (seq === null) throw new MetaError('InvalidArgument', 'Invalid version id specified', { ...where, versionId: req.versionId });
        throw new MetaError('NoSuchVersion', 'The specified version does not exist.', { ...where, versionId: req.versionId });
      }
      const latest = await latestVersion(store, req.bucket, req.key, -1, view);
      version = { ...v, isLatest: latest?.sequence === v.sequence };
      if (v.deleteMarker) {
        throw new MetaError('MethodNotAllowed', 'The specified method is not allowed against a delete marker.',
          { ...where, versionId: v.versionId, deleteMarker: 'true', lastModifiedMs: String(v.lastModifiedMs) });
      }
    }
    const manifest = await loadManifest(r, Number(version.sequence));
    return create(GetObjectResponseSchema, { version: { ...version, manifest } });
  });
}

export function listObjects(store: MetaStateStore, req: ListObjectsRequest): Promise<ListObjectsResponse> {
  return withView(store, async (view) => {
    await requireBucket(storeReader(store, view), req.bucket);
    const space = key.bucketSpace('current', req.bucket);
    const startAfter = req.continuationToken !== '' ? decodeContinuationToken(req.continuationToken)
      : req.startAfter !== '' ? utf8(req.startAfter) : undefined;
    const source = new LevelListingSource(store, space, view, (k, v) => ({
      objectKey: k.subarray(space.length), item: v,
    }));
    try {
      const r = await runListing({
        prefix: utf8(req.prefix), delimiter: utf8(req.delimiter), startAfter, maxEntries: pageSize(req.maxKeys, MAX_LIST_KEYS),
      }, source);
      const out = create(ListObjectsResponseSchema, { isTruncated: r.truncated });
      for (const e of r.entries) {
        if (e.kind === 'prefix') out.commonPrefixes.push(fromUtf8(e.prefix));
        else out.objects.push({ ...fromBinary(ObjectVersionSchema, e.item), isLatest: true });
      }
      if (r.last) {
        out.nextMarker = fromUtf8(r.last.key);
        if (r.truncated) out.nextContinuationToken = encodeContinuationToken(r.last.key);
      }
      return out;
    } finally {
      await source.close();
    }
  });
}

export function listObjectVersions(store: MetaStateStore, req: ListObjectVersionsRequest): Promise<ListObjectVersionsResponse> {
  return withView(store, async (view) => {
    await requireBucket(storeReader(store, view), req.bucket);
    if (req.versionIdMarker !== '' && req.keyMarker === '') {
      throw new MetaError('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', { bucket: req.bucket });
    }
    const space = key.bucketSpace('version', req.bucket);
    const source = new LevelListingSource(store, space, view, (k, v) => ({
      objectKey: objectKeyOfVersionKey(k, space.length), item: v,
    }));
    let startAfter: Uint8Array | undefined = req.keyMarker !== '' ? utf8(req.keyMarker) : undefined;
    let positioned = false;
    if (req.versionIdMarker !== '') {
      const seq = req.versionIdMarker === NULL_VERSION_ID
        ? await nullVersionSequence({ getRaw: (k) => store.getRaw(k, view) }, req.bucket, req.keyMarker)
        : sequenceOfId(req.versionIdMarker);
      if (seq === null) throw new MetaError('InvalidArgument', 'Invalid version id marker', { bucket: req.bucket });
      if (seq !== undefined) {
        // Strictly after that version: the next stored key after its own.
        source.seekStorageKey(concat(key.version(req.bucket, req.keyMarker, seq), Uint8Array.of(0)));
        startAfter = undefined;
        positioned = true;
      }
    }
    try {
      const r = await runListing({
        prefix: utf8(req.prefix), delimiter: utf8(req.delimiter), startAfter, maxEntries: pageSize(req.maxKeys, MAX_LIST_KEYS),
      }, source, { positioned });
      const out = create(ListObjectVersionsResponseSchema, { isTruncated: r.truncated });
      let prevKey = positioned ? req.keyMarker : undefined;
      let lastVersionId = '';
      for (const e of r.entries) {
        if (e.kind === 'prefix') {
          out.commonPrefixes.push(fromUtf8(e.prefix));
          continue;
        }
        const v = fromBinary(ObjectVersionSchema, e.item);
        out.versions.push({ ...v, isLatest: v.key !== prevKey });
        prevKey = v.key;
        lastVersionId = v.versionId;
      }
      if (r.truncated && r.last) {
        out.nextKeyMarker = fromUtf8(r.last.key);
        out.nextVersionIdMarker = r.last.isPrefix ? '' : lastVersionId;
      }
      return out;
    } finally {
      await source.close();
    }
  });
}
