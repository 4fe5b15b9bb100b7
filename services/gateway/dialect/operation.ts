// Every operation the gateway's handlers implement, whichever dialect named it. S3's names are
// the internal names; operations only OSS has are added here.
import { S3_OPERATIONS, type AddressingStyle } from '../s3/index.ts';

export const OSS_ONLY_OPERATIONS = [
  'AppendObject', 'GetObjectMeta', 'PutSymlink', 'GetSymlink',
  'PutObjectTagging', 'GetObjectTagging', 'DeleteObjectTagging',
  'GetBucketInfo', 'GetBucketStat',
  'PutBucketReferer', 'GetBucketReferer',
  'InitiateBucketWorm', 'CompleteBucketWorm', 'AbortBucketWorm', 'ExtendBucketWorm', 'GetBucketWorm',
] as const;

export const OPERATIONS = [...S3_OPERATIONS, ...OSS_ONLY_OPERATIONS] as const;
export type Operation = (typeof OPERATIONS)[number];

/** A request as a dialect parsed it: what to do, to which bucket and key, with which parameters. */
export interface ParsedRequest {
  readonly operation: Operation;
  readonly bucket?: string;
  /** The decoded object key; undefined for service and bucket requests. */
  readonly key?: string;
  /** Decoded query parameters; the first wins when one is repeated, valueless ones map to ''. */
  readonly query: ReadonlyMap<string, string>;
  readonly style: AddressingStyle;
  /** `/bucket/key` for error documents. */
  readonly resource: string;
}
