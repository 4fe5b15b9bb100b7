// Bucket answers in OSS's shapes: the bucket list (GetService), location, versioning, the
// fixed ACL, and the OSS-only GetBucketInfo and GetBucketStat documents.
import { bucketEncryptionOf } from '../encryption/bucket-encryption-config.ts';
import type { Bucket } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { VersioningState } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { BucketStats } from '../dialect/dialect.ts';
import { type AclDocument, isoTime, type ListBucketsOptions } from '../s3/index.ts';
import type { XmlWriter } from '../s3/xml-writer.ts';
import { ossStorageClass } from './oss-storage-class.ts';
import { FIXED_ACL, ossDocument, ossLocation, ossRegionId, writeOssOwner } from './oss-xml-fragments.ts';

export interface OssListBucketsOptions extends ListBucketsOptions {
  /** The endpoint clients reach the gateway by, written as each bucket's Extranet/IntranetEndpoint; omitted when unknown. */
  readonly endpoint?: string;
}

export function renderOssListBuckets(buckets: readonly Bucket[], options: OssListBucketsOptions): string {
  const w = ossDocument('ListAllMyBucketsResult');
  w.nonEmpty('Prefix', options.prefix);
  writeOssOwner(w, options.owner);
  w.start('Buckets');
  for (const b of buckets) {
    w.start('Bucket').leaf('CreationDate', isoTime(b.createdMs));
    writeEndpoints(w, options.endpoint);
    w.leaf('Location', ossLocation(b.region)).leaf('Name', b.name).leaf('Region', ossRegionId(b.region))
      .leaf('StorageClass', ossStorageClass(undefined)).end();
  }
  return w.toString();
}

/** GetBucketLocation: `oss-<region>`, for every region (OSS has no empty constraint). */
export function renderOssLocationConstraint(region: string): string {
  return ossDocument('LocationConstraint').text(ossLocation(region)).toString();
}

/** A bucket never versioned answers with no Status. */
export function renderOssVersioningConfiguration(state: VersioningState): string {
  const w = ossDocument('VersioningConfiguration');
  const status = versioningStatus(state);
  return (status === undefined ? w : w.leaf('Status', status)).toString();
}

/**
 * GetBucketAcl / GetObjectAcl: OSS names a canned ACL (private, public-read, public-read-write,
 * default) instead of listing grants; an ACL no canned name describes reads as private.
 */
export function renderOssAccessControlPolicy(acl: AclDocument | string, o: { cannedName?: string } = {}): string {
  const w = ossDocument('AccessControlPolicy');
  writeOssOwner(w, typeof acl === 'string' ? acl : acl.owner);
  return w.start('AccessControlList').leaf('Grant', o.cannedName ?? FIXED_ACL).end().toString();
}

/**
 * GetBucketInfo. `endpoint` is the Host the request came to; a virtual-hosted one is cut back
 * to the endpoint itself. Every bucket is zone-redundant (DataRedundancyType ZRS), unencrypted
 * and private until those features exist.
 */
export function renderOssBucketInfo(bucket: Bucket, o: { owner: string; region: string; endpoint: string; acl?: string; sandboxed?: boolean }): string {
  const region = bucket.region || o.region;
  const w = ossDocument('BucketInfo').start('Bucket').leaf('CreationDate', isoTime(bucket.createdMs));
  writeEndpoints(w, endpointWithoutBucket(o.endpoint, bucket.name));
  w.leaf('Location', ossLocation(region)).leaf('Name', bucket.name).leaf('Region', ossRegionId(region))
    .leaf('StorageClass', ossStorageClass(undefined))
    .leaf('DataRedundancyType', 'ZRS')
    .leaf('TransferAcceleration', 'Disabled')
    .leaf('CrossRegionReplication', 'Disabled');
  writeOssOwner(w, o.owner);
  w.start('AccessControlList').leaf('Grant', o.acl ?? FIXED_ACL).end()
    .start('ServerSideEncryptionRule');
  const sse = bucketEncryptionOf(bucket.configs);
  w.leaf('SSEAlgorithm', sse ? (sse.algorithm === 'aws:kms' ? 'KMS' : 'AES256') : 'None');
  if (sse?.kmsKeyId) w.leaf('KMSMasterKeyID', sse.kmsKeyId);
  w.end();
  // zonestore's own element: whether an admin put the bucket in the sandbox (issue #11).
  w.leaf('Sandbox', o.sandboxed ? 'Enabled' : 'Disabled');
  const status = versioningStatus(bucket.versioning);
  if (status !== undefined) w.leaf('Versioning', status);
  return w.toString();
}

/** GetBucketStat: every object is Standard here, so the per-class totals are the bucket's own. */
export function renderOssBucketStat(stats: BucketStats): string {
  const w = ossDocument('BucketStat')
    .leaf('Storage', stats.storageBytes)
    .leaf('ObjectCount', stats.objectCount)
    .leaf('MultipartUploadCount', stats.multipartUploadCount)
    .leaf('LiveChannelCount', 0)
    // OSS gives seconds since the epoch.
    .leaf('LastModifiedTime', Math.floor(stats.lastModifiedMs / 1000))
    .leaf('StandardStorage', stats.storageBytes)
    .leaf('StandardObjectCount', stats.objectCount);
  for (const cls of ['InfrequentAccess', 'Archive', 'ColdArchive', 'DeepColdArchive']) {
    w.leaf(`${cls}Storage`, 0).leaf(`${cls}RealStorage`, 0).leaf(`${cls}ObjectCount`, 0);
  }
  return w.toString();
}

function versioningStatus(state: VersioningState): 'Enabled' | 'Suspended' | undefined {
  if (state === VersioningState.ENABLED) return 'Enabled';
  if (state === VersioningState.SUSPENDED) return 'Suspended';
  return undefined;
}

function writeEndpoints(w: XmlWriter, endpoint: string | undefined): void {
  if (!endpoint) return;
  w.leaf('ExtranetEndpoint', endpoint).leaf('IntranetEndpoint', endpoint);
}

function endpointWithoutBucket(endpoint: string, bucket: string): string {
  const prefix = `${bucket}.`;
  return endpoint.toLowerCase().startsWith(prefix) ? endpoint.slice(prefix.length) : endpoint;
}
