// A dialect is a codec around the one set of handlers (DESIGN: "a dialect is a codec, not a
// copy"). It parses and authenticates requests in its own form, translates its request headers
// into the internal names (S3's: x-amz-meta-*, x-amz-copy-source, ...), and renders results,
// response headers and errors in its own form. Handlers never know which dialect they serve.
import type { Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import type { Bucket, ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { Authentication, CredentialLookup, RequestBody, RequestView } from '../auth/index.ts';
import type { RefererConfiguration } from '../authz/index.ts';
import type { StoreError } from '../errors/store-error.ts';
import type * as s3 from '../s3/index.ts';
import type { ParsedRequest } from './operation.ts';

/** The documents handlers render, with S3's signatures; a dialect renders them in its own XML. */
export type XmlRenderers = Pick<typeof s3,
  | 'renderListBuckets' | 'renderLocationConstraint' | 'renderVersioningConfiguration' | 'renderAccessControlPolicy'
  | 'renderListObjectsV1' | 'renderListObjectsV2' | 'renderListObjectVersions'
  | 'renderInitiateMultipartUpload' | 'renderCompleteMultipartUpload' | 'renderCopyPartResult'
  | 'renderListParts' | 'renderListMultipartUploads' | 'renderCopyObjectResult' | 'renderDeleteResult'
  | 'parseCreateBucketConfiguration' | 'parsePublicAccessBlockConfiguration' | 'renderPublicAccessBlockConfiguration'
> & Partial<OssOnlyRenderers>;

/** Bucket statistics (GetBucketStat). */
export interface BucketStats {
  objectCount: number;
  storageBytes: number;
  multipartUploadCount: number;
  lastModifiedMs: number;
}

/** Documents only OSS has. */
export interface OssOnlyRenderers {
  renderBucketInfo(bucket: Bucket, o: { owner: string; region: string; endpoint: string; acl?: string; sandboxed?: boolean }): string;
  renderBucketStat(stats: BucketStats): string;
  renderTagging(tags: Readonly<Record<string, string>>): string;
  parseTagging(body: Buffer): Record<string, string>;
  parseRefererConfiguration(body: Buffer): RefererConfiguration;
  renderRefererConfiguration(config: RefererConfiguration): string;
}

export interface ErrorRendering {
  status: number;
  headers: Record<string, string>;
  /** Absent for HEAD requests and bodiless statuses (304). */
  body?: string;
}

export interface Dialect {
  readonly name: 's3' | 'oss';
  parse(view: RequestView, o: { baseDomains: readonly string[] }): ParsedRequest;
  /** `request` is what parse() made of it (OSS signs the bucket and key it names). */
  authenticate(view: RequestView, lookup: CredentialLookup, nowMs: number, request: ParsedRequest): Promise<Authentication>;
  openBody(source: Readable, headers: IncomingHttpHeaders, auth: Authentication): RequestBody;
  /**
   * Rewrites the dialect's request headers into the internal (S3) names, in place, after
   * authentication (signatures cover the original names). S3: nothing to do.
   */
  normalizeRequestHeaders(headers: IncomingHttpHeaders, method: string): void;
  /**
   * Rewrites a response's internal (S3-named) headers into the dialect's; `version` is the
   * object the response describes, if any (OSS adds its CRC-64 and object type from it).
   */
  responseHeaders(headers: Record<string, string>, o: { requestId: string; hostId: string; version?: ObjectVersion }): Record<string, string>;
  readonly xml: XmlRenderers;
  renderError(err: StoreError, o: { requestId: string; hostId: string; resource: string; method: string }): ErrorRendering;
}
