// Put/Get(/Delete) of the bucket access settings (bucket-access-settings.ts): OSS's Referer
// configuration (?referer), block public access in both dialects (?publicAccessBlock: S3's
// four flags, OSS's one) and S3 Object Ownership (?ownershipControls). Each is one config
// document of the bucket record, written through meta and remembered in the bucket cache.
import { compileRefererConfiguration, DEFAULT_REFERER_CONFIGURATION } from '../authz/index.ts';
import { readBodyFully } from '../auth/index.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import { MAX_XML_BODY_BYTES } from '../http/gateway-limits.ts';
import { parseOwnershipControls, renderOwnershipControls } from '../s3/index.ts';
import { addressedBucket } from './bucket-access.ts';
import {
  bucketObjectOwnership, bucketPublicAccessBlock, bucketRefererConfiguration, encodeSetting, OWNERSHIP_CONFIG,
  PUBLIC_ACCESS_BLOCK_CONFIG, REFERER_CONFIG,
} from './bucket-access-settings.ts';
import { type Handler, type RequestContext, sendEmpty, sendXml } from './request-context.ts';

async function storeSetting(ctx: RequestContext, bucket: string, kind: string, document: Uint8Array): Promise<void> {
  const res = await metaCall(ctx.services.meta.call('putBucketConfig', { bucket, kind, document }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
}

function ossRenderers(ctx: RequestContext) {
  const { parseRefererConfiguration, renderRefererConfiguration } = ctx.dialect.xml;
  if (!parseRefererConfiguration || !renderRefererConfiguration) throw new StoreError('NotImplemented', 'Referer configuration is an OSS API');
  return { parseRefererConfiguration, renderRefererConfiguration };
}

export const putBucketReferer: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const config = ossRenderers(ctx).parseRefererConfiguration(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES));
  const compiled = compileRefererConfiguration(config);
  if (compiled instanceof StoreError) throw compiled;
  await storeSetting(ctx, bucket.name, REFERER_CONFIG, encodeSetting(config));
  sendEmpty(ctx, 200);
};

/** A bucket never configured answers OSS's default (empty Referers allowed, no lists). */
export const getBucketReferer: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  sendXml(ctx, 200, ossRenderers(ctx).renderRefererConfiguration(bucketRefererConfiguration(bucket) ?? DEFAULT_REFERER_CONFIGURATION));
};

export const putPublicAccessBlock: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const block = ctx.dialect.xml.parsePublicAccessBlockConfiguration(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES));
  await storeSetting(ctx, bucket.name, PUBLIC_ACCESS_BLOCK_CONFIG, encodeSetting(block));
  sendEmpty(ctx, 200);
};

/** None set: S3 answers NoSuchPublicAccessBlockConfiguration, OSS its default (BlockPublicAccess false). */
export const getPublicAccessBlock: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const block = bucketPublicAccessBlock(bucket);
  if (!block && ctx.dialect.name === 's3') {
    throw new StoreError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', { BucketName: bucket.name });
  }
  sendXml(ctx, 200, ctx.dialect.xml.renderPublicAccessBlockConfiguration(block ?? {
    blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false,
  }));
};

export const deletePublicAccessBlock: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  await storeSetting(ctx, bucket.name, PUBLIC_ACCESS_BLOCK_CONFIG, new Uint8Array());
  sendEmpty(ctx, 204);
};

export const putBucketOwnershipControls: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const objectOwnership = parseOwnershipControls(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES));
  await storeSetting(ctx, bucket.name, OWNERSHIP_CONFIG, encodeSetting({ objectOwnership }));
  sendEmpty(ctx, 200);
};

export const getBucketOwnershipControls: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const ownership = bucketObjectOwnership(bucket);
  if (!ownership) throw new StoreError('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', { BucketName: bucket.name });
  sendXml(ctx, 200, renderOwnershipControls(ownership));
};

export const deleteBucketOwnershipControls: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  await storeSetting(ctx, bucket.name, OWNERSHIP_CONFIG, new Uint8Array());
  sendEmpty(ctx, 204);
};
