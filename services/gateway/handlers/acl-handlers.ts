// Bucket and object ACLs (?acl), both dialects: S3 sets them by canned header, grant headers or
// an AccessControlPolicy body and lists grants; OSS sets them by x-oss-acl / x-oss-object-acl
// and names a canned ACL (an object's may be `default`: its bucket's applies).
import { cannedAclName, effectiveObjectAcl, type AccessControlList } from '../authz/index.ts';
import { readBodyFully } from '../auth/index.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import { MAX_XML_BODY_BYTES } from '../http/gateway-limits.ts';
import { parseAccessControlPolicy } from '../s3/index.ts';
import {
  ACL_CONFIG, aclFromHeaders, aclToRecord, bucketAcl, encodeBucketAcl, fromAclDocument, objectAclOf, toAclDocument,
} from './access-documents.ts';
import { refuseRequestedAcl } from './bucket-access-settings.ts';
import { objectKey, addressedBucket } from './bucket-access.ts';
import { type Handler, type RequestContext, sendEmpty, sendXml } from './request-context.ts';

/** The ACL a Put…Acl request sets: its headers, else (S3) its body. */
async function requestedAcl(ctx: RequestContext, target: 'bucket' | 'object', owner: string): Promise<AccessControlList | 'default'> {
  const fromHeaders = aclFromHeaders(ctx.req.headers, target, owner);
  if (fromHeaders !== undefined) return fromHeaders;
  if (ctx.dialect.name === 'oss') {
    throw new StoreError('InvalidArgument', `no ACL given (${target === 'bucket' ? 'x-oss-acl' : 'x-oss-object-acl'})`, { ArgumentName: 'x-oss-acl' });
  }
  const body = await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES);
  return fromAclDocument(parseAccessControlPolicy(body), owner);
}

function renderAcl(ctx: RequestContext, acl: AccessControlList, cannedName: string): string {
  return ctx.dialect.xml.renderAccessControlPolicy(toAclDocument(acl), { cannedName });
}

export const getBucketAcl: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const acl = bucketAcl(bucket);
  sendXml(ctx, 200, renderAcl(ctx, acl, cannedAclName(acl, 'bucket') ?? 'private'));
};

export const putBucketAcl: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const acl = await requestedAcl(ctx, 'bucket', bucket.owner);
  if (acl === 'default') throw new StoreError('InvalidArgument', 'a bucket ACL cannot be default', { ArgumentName: 'x-oss-acl' });
  refuseRequestedAcl(bucket, acl);
  const res = await metaCall(ctx.services.meta.call('putBucketConfig', { bucket: bucket.name, kind: ACL_CONFIG, document: encodeBucketAcl(acl) }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
  sendEmpty(ctx, 200);
};

export const getObjectAcl: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const { version } = await metaCall(ctx.services.meta.call('getObject', { bucket: bucket.name, key, versionId: ctx.request.query.get('versionId') ?? '' }));
  if (!version || version.deleteMarker) throw new StoreError('NoSuchKey', 'The specified key does not exist.', { Key: key });
  const own = objectAclOf(version);
  const acl = effectiveObjectAcl(own, bucketAcl(bucket));
  sendXml(ctx, 200, renderAcl(ctx, acl, own === 'default' ? 'default' : cannedAclName(acl, 'object') ?? 'private'));
};

export const putObjectAcl: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const acl = await requestedAcl(ctx, 'object', bucket.owner);
  refuseRequestedAcl(bucket, acl);
  const versionId = ctx.request.query.get('versionId') ?? '';
  const res = await metaCall(ctx.services.meta.call('putObjectAcl', {
    bucket: bucket.name, key, versionId, ...(acl === 'default' ? {} : { acl: aclToRecord(acl) }),
  }));
  sendEmpty(ctx, 200, versionId === '' || res.versionId === 'null' ? {} : { 'x-amz-version-id': res.versionId });
};
