// Bucket policies (?policy), both dialects: a JSON document in IAM or RAM syntax, parsed when
// stored (MalformedPolicy otherwise, 16 KiB at most) and kept as sent in the bucket's "policy"
// config document; GetBucketPolicy gives the text back, NoSuchBucketPolicy when there is none.
import { MAX_BUCKET_POLICY_BYTES, NO_PUBLIC_ACCESS_BLOCK, parsePolicy, refusePublicPolicy } from '../authz/index.ts';
import { readBodyFully } from '../auth/index.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import { bucketPolicyText, POLICY_CONFIG } from './access-documents.ts';
import { addressedBucket } from './bucket-access.ts';
import { bucketPublicAccessBlock } from './bucket-access-settings.ts';
import { type Handler, sendEmpty, writeHead } from './request-context.ts';

export const putBucketPolicy: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  // One byte over the limit is enough to refuse it as MalformedPolicy (what the parser says of size).
  let body: Buffer;
  try {
    body = await readBodyFully(ctx.body(), MAX_BUCKET_POLICY_BYTES + 1);
  } catch (err) {
    if (err instanceof StoreError && (err.code === 'EntityTooLarge' || err.status === 400)) {
      throw new StoreError('MalformedPolicy', `Policies must be at most ${MAX_BUCKET_POLICY_BYTES} bytes`, { BucketName: bucket.name });
    }
    throw err;
  }
  const text = body.toString('utf8');
  if (text.trim() === '') throw new StoreError('MalformedPolicy', 'Policies must be valid JSON and the first byte must be \'{\'', { BucketName: bucket.name });
  const parsed = parsePolicy(text, 'bucket');
  if (!parsed.ok) throw parsed.error;
  const refused = refusePublicPolicy(bucketPublicAccessBlock(bucket) ?? NO_PUBLIC_ACCESS_BLOCK, parsed.policy);
  if (refused) throw refused;
  const res = await metaCall(ctx.services.meta.call('putBucketConfig', { bucket: bucket.name, kind: POLICY_CONFIG, document: body }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
  sendEmpty(ctx, ctx.dialect.name === 'oss' ? 200 : 204);
};

export const getBucketPolicy: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const text = bucketPolicyText(bucket);
  if (text === undefined) throw new StoreError('NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: bucket.name });
  const body = Buffer.from(text, 'utf8');
  writeHead(ctx, 200, { 'content-type': 'application/json', 'content-length': String(body.length) });
  ctx.res.end(body);
};

export const deleteBucketPolicy: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const res = await metaCall(ctx.services.meta.call('putBucketConfig', { bucket: bucket.name, kind: POLICY_CONFIG, document: new Uint8Array() }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
  sendEmpty(ctx, 204);
};
