// Bucket logging (?logging), both dialects: the target bucket must exist and belong to the
// logged bucket's owner (InvalidTargetBucketForLogging otherwise, in both). Stored as JSON in
// the bucket's "logging" config document, which the gateway's capture path reads from the
// bucket cache (access-log/). S3 turns logging off with an empty BucketLoggingStatus; OSS with
// DeleteBucketLogging. GetBucketLogging of a bucket without logging is an empty status in both.
import { readBodyFully } from '../auth/index.ts';
import { LOGGING_CONFIG_KIND, loggingDocument, loggingOf } from '../access-log/bucket-logging-config.ts';
import { isStoreError, StoreError } from '../errors/store-error.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { MAX_XML_BODY_BYTES } from '../http/gateway-limits.ts';
import { parseLoggingXml, renderLoggingXml } from '../s3/logging-xml.ts';
import { addressedBucket } from './bucket-access.ts';
import { type Handler, sendEmpty, sendXml } from './request-context.ts';

function invalidTarget(target: string): StoreError {
  return new StoreError('InvalidTargetBucketForLogging', 'The target bucket for logging does not exist or is not owned by you.', { TargetBucket: target });
}

export const putBucketLogging: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const asked = parseLoggingXml(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES), ctx.dialect.name);
  let document: Uint8Array<ArrayBuffer> = new Uint8Array();
  if (asked) {
    const target = await ctx.services.buckets.get(asked.targetBucket).catch((err: unknown) => {
      if (isStoreError(err, 'NoSuchBucket')) throw invalidTarget(asked.targetBucket);
      throw err;
    });
    if (target.owner !== bucket.owner) throw invalidTarget(asked.targetBucket);
    document = loggingDocument({ ...asked, format: ctx.dialect.name });
  }
  const res = await metaCall(ctx.services.meta.call('putBucketConfig', { bucket: bucket.name, kind: LOGGING_CONFIG_KIND, document }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
  sendEmpty(ctx, 200);
};

export const getBucketLogging: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  sendXml(ctx, 200, renderLoggingXml(loggingOf(bucket.configs), ctx.dialect.name));
};

export const deleteBucketLogging: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const res = await metaCall(ctx.services.meta.call('putBucketConfig', { bucket: bucket.name, kind: LOGGING_CONFIG_KIND, document: new Uint8Array() }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
  sendEmpty(ctx, 204);
};
