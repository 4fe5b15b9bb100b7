// Reading buckets, their stats and the placement map.
import { create, fromBinary } from '@bufbuild/protobuf';
import { BucketSchema, BucketStatSchema, DataNodeSchema } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  GetBucketResponseSchema, GetPlacementMapResponseSchema, ListBucketsResponseSchema,
  type GetBucketRequest, type GetBucketResponse, type GetPlacementMapResponse, type ListBucketsRequest,
  type ListBucketsResponse,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import {
  GetBucketStatResponseSchema, type GetBucketStatRequest, type GetBucketStatResponse,
} from '../../common/gen/zonestore/meta/v1/oss_requests_pb.ts';
import { MAX_LIST_BUCKETS } from '../limits.ts';
import { key, prefixEnd, utf8 } from '../state/meta-keys.ts';
import { concat } from '../state/meta-keys.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';
import { requireBucket, storeReader } from '../state/record-reads.ts';
import { withView } from './object-queries.ts';
import { pageSize } from './query-limits.ts';

export async function getBucket(store: MetaStateStore, req: GetBucketRequest): Promise<GetBucketResponse> {
  return create(GetBucketResponseSchema, { bucket: await requireBucket(storeReader(store), req.name) });
}

/** The bucket's counters (all zero before its first object or upload). */
export async function getBucketStat(store: MetaStateStore, req: GetBucketStatRequest): Promise<GetBucketStatResponse> {
  return withView(store, async (view) => {
    await requireBucket(storeReader(store, view), req.bucket);
    const s = await store.get(BucketStatSchema, key.bucketStat(req.bucket), view);
    const { $typeName: _, ...fields } = s ?? create(BucketStatSchema, {});
    return create(GetBucketStatResponseSchema, fields);
  });
}

/** Buckets in name order, optionally only one owner's, after `startAfter`, under `prefix`. */
export async function listBuckets(store: MetaStateStore, req: ListBucketsRequest): Promise<ListBucketsResponse> {
  const max = pageSize(req.maxBuckets, MAX_LIST_BUCKETS);
  const space = key.bucketPrefix();
  const prefixed = concat(space, utf8(req.prefix));
  const after = req.startAfter !== '' ? concat(key.bucket(req.startAfter), Uint8Array.of(0)) : prefixed;
  const gte = Buffer.compare(after, prefixed) > 0 ? after : prefixed;
  const out = create(ListBucketsResponseSchema, {});
  for await (const [, v] of store.iterator({ gte, lt: prefixEnd(prefixed)! })) {
    const b = fromBinary(BucketSchema, v);
    if (req.owner !== '' && b.owner !== req.owner) continue;
    if (out.buckets.length === max) {
      out.isTruncated = true;
      break;
    }
    out.buckets.push(b);
  }
  return out;
}

export async function getPlacementMap(store: MetaStateStore): Promise<GetPlacementMapResponse> {
  const space = key.dataNodePrefix();
  const out = create(GetPlacementMapResponseSchema, {});
  for (const [, v] of await store.range({ gte: space, lt: prefixEnd(space)! })) out.nodes.push(fromBinary(DataNodeSchema, v));
  return out;
}
