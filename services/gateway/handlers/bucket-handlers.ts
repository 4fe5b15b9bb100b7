// Bucket operations: create (with its ACL), delete, head, list, location, versioning, OSS's info and stat.
import { create } from '@bufbuild/protobuf';
import { ObjectLockConfigRecordSchema } from '../../common/gen/zonestore/meta/v1/protection_pb.ts';
import { OBJECT_LOCK_CONFIG_KIND, objectLockConfigDocument } from '../../meta/rules/protection-records.ts';
import { VersioningState } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { readBodyFully } from '../auth/index.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import { MAX_XML_BODY_BYTES } from '../http/gateway-limits.ts';
import {
  isObjectOwnership, parseVersioningConfiguration,
} from '../s3/index.ts';
import { cannedAclName } from '../authz/index.ts';
import { ACL_CONFIG, aclFromHeaders, bucketAcl, encodeBucketAcl } from './access-documents.ts';
import { bucketSandbox } from './sandbox-config.ts';
import { encodeSetting, OWNERSHIP_CONFIG } from './bucket-access-settings.ts';
import { bucketName, addressedBucket } from './bucket-access.ts';
import { type Handler, header, sendEmpty, sendXml } from './request-context.ts';

export const listBuckets: Handler = async (ctx) => {
  const res = await metaCall(ctx.services.meta.call('listBuckets', { owner: ctx.principal }));
  sendXml(ctx, 200, ctx.dialect.xml.renderListBuckets(res.buckets, { owner: ctx.principal }));
};

export const createBucket: Handler = async (ctx) => {
  const name = bucketName(ctx);
  const acl = aclFromHeaders(ctx.req.headers, 'bucket', ctx.principal);
  if (acl === 'default') throw new StoreError('InvalidArgument', 'a bucket ACL cannot be default', { ArgumentName: 'x-amz-acl' });
  const xml = await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES);
  const { locationConstraint } = ctx.dialect.xml.parseCreateBucketConfiguration(xml);
  const region = ctx.services.region;
  // One cluster is one region: a bucket asked for elsewhere would silently live here.
  if (locationConstraint && locationConstraint !== region) {
    throw new StoreError('IllegalLocationConstraintException',
      `The ${locationConstraint} location constraint is incompatible for the region specific endpoint this request was sent to (${region}).`,
      { BucketName: name });
  }
  const ownership = header(ctx, 'x-amz-object-ownership');
  if (ownership !== '' && !isObjectOwnership(ownership)) {
    throw new StoreError('InvalidArgument', 'Invalid x-amz-object-ownership header', { ArgumentName: 'x-amz-object-ownership', ArgumentValue: ownership });
  }
  // S3: an ACL other than private cannot come with BucketOwnerEnforced.
  if (ownership === 'BucketOwnerEnforced' && acl && acl.grants.some((g) => g.grantee.type !== 'CanonicalUser' || g.grantee.id !== ctx.principal)) {
    throw new StoreError('InvalidBucketAclWithObjectOwnership', 'Bucket cannot have ACLs set with ObjectOwnership\'s BucketOwnerEnforced setting', { BucketName: name });
  }
  const configs: Record<string, Uint8Array> = acl ? { [ACL_CONFIG]: encodeBucketAcl(acl) } : {};
  if (ownership !== '') configs[OWNERSHIP_CONFIG] = encodeSetting({ objectOwnership: ownership });
  // x-amz-bucket-object-lock-enabled: object lock from the start, which needs versioning on.
  const locked = header(ctx, 'x-amz-bucket-object-lock-enabled').toLowerCase() === 'true';
  if (locked) configs[OBJECT_LOCK_CONFIG_KIND] = objectLockConfigDocument(create(ObjectLockConfigRecordSchema, { enabled: true }));
  const res = await metaCall(ctx.services.meta.call('createBucket', {
    name, owner: ctx.principal, region, configs, ...(locked ? { versioning: VersioningState.ENABLED } : {}),
  }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
  sendEmpty(ctx, 200, { location: `/${name}` });
};

export const deleteBucket: Handler = async (ctx) => {
  const name = bucketName(ctx);
  await addressedBucket(ctx, name);
  ctx.services.buckets.forget(name);
  await metaCall(ctx.services.meta.call('deleteBucket', { name }));
  ctx.services.buckets.forget(name);
  sendEmpty(ctx, 204);
};

export const headBucket: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  sendEmpty(ctx, 200, { 'x-amz-bucket-region': bucket.region || ctx.services.region });
};

export const getBucketLocation: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  sendXml(ctx, 200, ctx.dialect.xml.renderLocationConstraint(bucket.region || ctx.services.region));
};

export const getBucketVersioning: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  sendXml(ctx, 200, ctx.dialect.xml.renderVersioningConfiguration(bucket.versioning));
};

export const putBucketVersioning: Handler = async (ctx) => {
  const name = bucketName(ctx);
  await addressedBucket(ctx, name);
  const xml = await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES);
  const { status } = parseVersioningConfiguration(xml);
  const versioning = status === 'Enabled' ? VersioningState.ENABLED : VersioningState.SUSPENDED;
  const res = await metaCall(ctx.services.meta.call('putBucketVersioning', { bucket: name, versioning }));
  if (res.bucket) ctx.services.buckets.remember(res.bucket);
  sendEmpty(ctx, 200);
};

/** GetBucketInfo (OSS). */
export const getBucketInfo: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const render = ctx.dialect.xml.renderBucketInfo;
  if (!render) throw new StoreError('NotImplemented', 'GetBucketInfo is not implemented in this dialect');
  const acl = bucketAcl(bucket);
  sendXml(ctx, 200, render(bucket, {
    owner: bucket.owner, region: bucket.region || ctx.services.region, endpoint: header(ctx, 'host'),
    acl: cannedAclName(acl, 'bucket') ?? 'private', sandboxed: bucketSandbox(bucket) !== undefined,
  }));
};

/** GetBucketStat (OSS): counters the metadata service keeps exact in every apply. */
export const getBucketStat: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const render = ctx.dialect.xml.renderBucketStat;
  if (!render) throw new StoreError('NotImplemented', 'GetBucketStat is not implemented in this dialect');
  const s = await metaCall(ctx.services.meta.call('getBucketStat', { bucket: bucket.name }));
  sendXml(ctx, 200, render({
    objectCount: Number(s.objectCount), storageBytes: Number(s.storageBytes),
    multipartUploadCount: Number(s.multipartUploadCount), lastModifiedMs: Number(s.lastModifiedMs),
  }));
};
