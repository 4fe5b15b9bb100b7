// Bucket lifecycle (?lifecycle), both dialects: the XML is parsed and validated when stored
// (s3/lifecycle-xml.ts) and kept as the one model's JSON in the bucket's "lifecycle" config
// document, which meta's lifecycle worker reads. A bucket without one answers
// NoSuchLifecycleConfiguration (OSS: NoSuchLifecycle).
import { readBodyFully } from '../auth/index.ts';
import { LIFECYCLE_CONFIG_KIND, lifecycleDocument, lifecycleOf } from '../../meta/lifecycle/lifecycle-model.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import { MAX_XML_BODY_BYTES } from '../http/gateway-limits.ts';
import { parseLifecycleXml, renderLifecycleXml } from '../s3/lifecycle-xml.ts';
import { addressedBucket } from './bucket-access.ts';
import { type Handler, sendEmpty, sendXml } from './request-context.ts';

export const putBucketLifecycle: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const config = parseLifecycleXml(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES), ctx.dialect.name);
  const res = await metaCall(ctx.services.meta.call('putBucketConfig', { bucket: bucket.name, kind: LIFECYCLE_CONFIG_KIND, document: lifecycleDocument(config) }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
  sendEmpty(ctx, 200);
};

export const getBucketLifecycle: Handler = async (ctx) => {
  const cached = await addressedBucket(ctx);
  // Read fresh, not from the short-lived bucket cache: a rule changed through another gateway
  // must show at once (the cache is for the data path's owner and versioning checks).
  const { bucket = cached } = await metaCall(ctx.services.meta.call('getBucket', { name: cached.name }));
  ctx.services.buckets.remember(bucket);
  const config = lifecycleOf(bucket.configs);
  if (!config) {
    throw new StoreError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', { BucketName: bucket.name });
  }
  sendXml(ctx, 200, renderLifecycleXml(config, ctx.dialect.name));
};

export const deleteBucketLifecycle: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const res = await metaCall(ctx.services.meta.call('putBucketConfig', { bucket: bucket.name, kind: LIFECYCLE_CONFIG_KIND, document: new Uint8Array() }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
  sendEmpty(ctx, 204);
};
