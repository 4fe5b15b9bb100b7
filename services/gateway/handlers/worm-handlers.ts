// OSS WORM retention policy APIs: InitiateBucketWorm (POST ?worm), CompleteBucketWorm
// (POST ?wormId=), AbortBucketWorm (DELETE ?worm), ExtendBucketWorm (POST ?wormExtend&wormId=),
// GetBucketWorm (GET ?worm). The state machine and its enforcement live in meta's apply; this
// file only parses and renders. Get reads the bucket fresh from meta, not the bucket cache,
// so a policy locked through another gateway shows at once.
import { readBodyFully } from '../auth/index.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import { MAX_XML_BODY_BYTES } from '../http/gateway-limits.ts';
import { ossDocument } from '../oss/oss-xml-fragments.ts';
import { parseRequestXml, textOf } from '../s3/request-xml.ts';
import { wormPolicyOf } from '../../meta/rules/protection-records.ts';
import { livePolicy } from '../../meta/rules/worm-policy.ts';
import { addressedBucket } from './bucket-access.ts';
import { type Handler, query, sendEmpty, sendXml } from './request-context.ts';

function retentionDaysOf(body: Uint8Array, root: string): number {
  const doc = parseRequestXml(body, root, []);
  const text = doc === undefined ? undefined : textOf(doc['RetentionPeriodInDays'])?.trim();
  if (text === undefined || !/^\d{1,9}$/.test(text)) {
    throw new StoreError('InvalidArgument', 'RetentionPeriodInDays must be a positive integer.', { ArgumentName: 'RetentionPeriodInDays', ArgumentValue: text ?? '' });
  }
  return Number(text);
}

function wormIdOf(ctx: Parameters<Handler>[0]): string {
  const id = query(ctx, 'wormId');
  if (!id) throw new StoreError('InvalidArgument', 'wormId is required.', { ArgumentName: 'wormId', ArgumentValue: '' });
  return id;
}

async function refreshCache(ctx: Parameters<Handler>[0], name: string): Promise<void> {
  // The bucket's configs changed: later requests through this gateway must not see the old ones.
  ctx.services.buckets.forget(name);
}

export const initiateBucketWorm: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const retentionDays = retentionDaysOf(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES), 'InitiateWormConfiguration');
  const res = await metaCall(ctx.services.meta.call('initiateBucketWorm', { bucket: bucket.name, retentionDays }));
  await refreshCache(ctx, bucket.name);
  sendEmpty(ctx, 200, { 'x-oss-worm-id': res.policy?.wormId ?? '' });
};

export const completeBucketWorm: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  await metaCall(ctx.services.meta.call('completeBucketWorm', { bucket: bucket.name, wormId: wormIdOf(ctx) }));
  await refreshCache(ctx, bucket.name);
  sendEmpty(ctx, 200);
};

export const abortBucketWorm: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  await metaCall(ctx.services.meta.call('abortBucketWorm', { bucket: bucket.name }));
  await refreshCache(ctx, bucket.name);
  sendEmpty(ctx, 204);
};

export const extendBucketWorm: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const wormId = wormIdOf(ctx);
  const retentionDays = retentionDaysOf(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES), 'ExtendWormConfiguration');
  await metaCall(ctx.services.meta.call('extendBucketWorm', { bucket: bucket.name, wormId, retentionDays }));
  await refreshCache(ctx, bucket.name);
  sendEmpty(ctx, 200);
};

export const getBucketWorm: Handler = async (ctx) => {
  const cached = await addressedBucket(ctx);
  const fresh = (await metaCall(ctx.services.meta.call('getBucket', { name: cached.name }))).bucket ?? cached;
  const policy = livePolicy(wormPolicyOf(fresh), Date.now());
  if (!policy) throw new StoreError('NoSuchWORMConfiguration', 'The WORM Configuration does not exist.', { BucketName: cached.name });
  const w = ossDocument('WormConfiguration')
    .leaf('WormId', policy.wormId)
    .leaf('State', policy.state)
    .leaf('RetentionPeriodInDays', policy.retentionDays)
    .leaf('CreationDate', new Date(policy.createdMs).toISOString());
  sendXml(ctx, 200, w.toString());
};
