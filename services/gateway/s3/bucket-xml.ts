// Bucket answers: the bucket list, location and versioning state (ACLs: acl-xml.ts).
import type { Bucket } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { VersioningState } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { DEFAULT_REGION } from './s3-limits.ts';
import { isoTime } from './s3-time.ts';
import { writeOwner } from './xml-fragments.ts';
import { XmlWriter } from './xml-writer.ts';

export interface ListBucketsOptions {
  /** The requester, shown as the owner of the list. */
  readonly owner: string;
  /** Echoed when the request paged by prefix / continuation token. */
  readonly prefix?: string;
  readonly continuationToken?: string;
}

export function renderListBuckets(buckets: readonly Bucket[], options: ListBucketsOptions): string {
  const w = XmlWriter.document('ListAllMyBucketsResult');
  writeOwner(w, options.owner);
  w.start('Buckets');
  for (const b of buckets) {
    w.start('Bucket').leaf('Name', b.name).leaf('CreationDate', isoTime(b.createdMs)).nonEmpty('BucketRegion', b.region).end();
  }
  w.end();
  return w.nonEmpty('ContinuationToken', options.continuationToken).nonEmpty('Prefix', options.prefix).toString();
}

/** GetBucketLocation: us-east-1 is, for historical reasons, the empty constraint. */
export function renderLocationConstraint(region: string): string {
  const w = XmlWriter.document('LocationConstraint');
  return (region === DEFAULT_REGION ? w : w.text(region)).toString();
}

/** A bucket never versioned answers with no Status at all. */
export function renderVersioningConfiguration(state: VersioningState): string {
  const w = XmlWriter.document('VersioningConfiguration');
  if (state === VersioningState.ENABLED) w.leaf('Status', 'Enabled');
  else if (state === VersioningState.SUSPENDED) w.leaf('Status', 'Suspended');
  return w.toString();
}

