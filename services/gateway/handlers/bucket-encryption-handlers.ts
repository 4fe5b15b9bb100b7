// Bucket default encryption (?encryption), both dialects: the rule is parsed when stored
// (MalformedXML / InvalidArgument otherwise) and kept as JSON in the bucket's "encryption"
// config document; writes without SSE headers then get it (object-encryption.ts sseWriteFor).
// GetBucketEncryption of a bucket without one is ServerSideEncryptionConfigurationNotFoundError
// (OSS: NoSuchServerSideEncryptionRule, renamed in the OSS error mapping).
import { readBodyFully } from '../auth/index.ts';
import {
  bucketEncryptionOf, ENCRYPTION_CONFIG, parseBucketEncryption, renderBucketEncryption, storedBucketEncryption,
} from '../encryption/bucket-encryption-config.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import { MAX_XML_BODY_BYTES } from '../http/gateway-limits.ts';
import { addressedBucket } from './bucket-access.ts';
import { type Handler, sendEmpty, sendXml } from './request-context.ts';

export const putBucketEncryption: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const config = parseBucketEncryption(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES), ctx.dialect.name);
  const res = await metaCall(ctx.services.meta.call('putBucketConfig', { bucket: bucket.name, kind: ENCRYPTION_CONFIG, document: storedBucketEncryption(config) }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
  sendEmpty(ctx, 200);
};

export const getBucketEncryption: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const config = bucketEncryptionOf(bucket.configs);
  if (!config) {
    throw new StoreError('ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found', { BucketName: bucket.name });
  }
  sendXml(ctx, 200, renderBucketEncryption(config, ctx.dialect.name));
};

export const deleteBucketEncryption: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const res = await metaCall(ctx.services.meta.call('putBucketConfig', { bucket: bucket.name, kind: ENCRYPTION_CONFIG, document: new Uint8Array() }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
  sendEmpty(ctx, 204);
};
