// Reading multipart uploads: one upload, its parts, and ListMultipartUploads.
import { create, fromBinary } from '@bufbuild/protobuf';
import { MultipartUploadSchema, UploadPartSchema } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  GetMultipartUploadResponseSchema, ListMultipartUploadsResponseSchema, ListPartsResponseSchema,
  type GetMultipartUploadRequest, type GetMultipartUploadResponse, type ListMultipartUploadsRequest,
  type ListMultipartUploadsResponse, type ListPartsRequest, type ListPartsResponse,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { requireUpload } from '../commands/multipart-commands.ts';
import { MAX_LIST_PARTS, MAX_LIST_UPLOADS, MAX_PART_NUMBER } from '../limits.ts';
import { runListing } from '../listing/listing-runner.ts';
import { concat, fromUtf8, key, partNumberOfKey, prefixEnd, splitUploadKey, utf8 } from '../state/meta-keys.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';
import { requireBucket, storeReader } from '../state/record-reads.ts';
import { LevelListingSource } from './level-listing-source.ts';
import { withView } from './object-queries.ts';
import { pageSize } from './query-limits.ts';

export function getMultipartUpload(store: MetaStateStore, req: GetMultipartUploadRequest): Promise<GetMultipartUploadResponse> {
  return withView(store, async (view) => {
    const r = storeReader(store, view);
    await requireBucket(r, req.bucket);
    return create(GetMultipartUploadResponseSchema, { upload: await requireUpload(r, req.bucket, req.key, req.uploadId) });
  });
}

export function listParts(store: MetaStateStore, req: ListPartsRequest): Promise<ListPartsResponse> {
  return withView(store, async (view) => {
    const r = storeReader(store, view);
    await requireBucket(r, req.bucket);
    const upload = await requireUpload(r, req.bucket, req.key, req.uploadId);
    const max = pageSize(req.maxParts, MAX_LIST_PARTS);
    const space = key.partsOf(req.uploadId);
    const from = req.partNumberMarker >= MAX_PART_NUMBER ? prefixEnd(space)! : key.part(req.uploadId, req.partNumberMarker + 1);
    const rows = await store.range({ gte: from, lt: prefixEnd(space)!, limit: max + 1, snapshot: view });
    const out = create(ListPartsResponseSchema, { upload, isTruncated: rows.length > max });
    for (const [k, v] of rows.slice(0, max)) {
      const p = fromBinary(UploadPartSchema, v);
      out.parts.push(req.includeStripes ? p : { ...p, data: undefined });
      out.nextPartNumberMarker = partNumberOfKey(k);
    }
    return out;
  });
}

export function listMultipartUploads(store: MetaStateStore, req: ListMultipartUploadsRequest): Promise<ListMultipartUploadsResponse> {
  return withView(store, async (view) => {
    await requireBucket(storeReader(store, view), req.bucket);
    const space = key.bucketSpace('upload', req.bucket);
    const source = new LevelListingSource(store, space, view, (k, v) => ({
      objectKey: splitUploadKey(k, space.length).objectKey, item: v,
    }));
    let startAfter: Uint8Array | undefined = req.keyMarker !== '' ? utf8(req.keyMarker) : undefined;
    let positioned = false;
    if (req.keyMarker !== '' && req.uploadIdMarker !== '') {
      // Strictly after that upload of that key (upload ids sort in initiation order).
      source.seekStorageKey(concat(key.upload(req.bucket, req.keyMarker, req.uploadIdMarker), Uint8Array.of(0)));
      startAfter = undefined;
      positioned = true;
    }
    try {
      const r = await runListing({
        prefix: utf8(req.prefix), delimiter: utf8(req.delimiter), startAfter, maxEntries: pageSize(req.maxUploads, MAX_LIST_UPLOADS),
      }, source, { positioned });
      const out = create(ListMultipartUploadsResponseSchema, { isTruncated: r.truncated });
      let lastUploadId = '';
      for (const e of r.entries) {
        if (e.kind === 'prefix') {
          out.commonPrefixes.push(fromUtf8(e.prefix));
        } else {
          const u = fromBinary(MultipartUploadSchema, e.item);
          out.uploads.push(u);
          lastUploadId = u.uploadId;
        }
      }
      if (r.truncated && r.last) {
        out.nextKeyMarker = fromUtf8(r.last.key);
        out.nextUploadIdMarker = r.last.isPrefix ? '' : lastUploadId;
      }
      return out;
    } finally {
      await source.close();
    }
  });
}
