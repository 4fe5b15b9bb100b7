// The owner check every bucket-scoped request passes until policies arrive: a bucket is
// usable only by the principal that owns it.
import type { Bucket } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { StoreError } from '../errors/store-error.ts';
import type { RequestContext } from './request-context.ts';

export function bucketName(ctx: RequestContext): string {
  const b = ctx.request.bucket;
  if (b === undefined) throw new StoreError('InvalidRequest', 'This operation needs a bucket');
  return b;
}

export function objectKey(ctx: RequestContext): string {
  const k = ctx.request.key;
  if (k === undefined || k === '') throw new StoreError('InvalidRequest', 'This operation needs an object key');
  return k;
}

/** The bucket a request addresses (NoSuchBucket when it does not exist); the pipeline has already authorized the request. */
export async function addressedBucket(ctx: RequestContext, name = bucketName(ctx)): Promise<Bucket> {
  return ctx.services.buckets.get(name);
}
