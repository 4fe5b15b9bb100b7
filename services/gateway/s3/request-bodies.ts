// The XML request bodies of the S3 operations we serve, parsed into plain values. The body
// arrives already read and size-limited by the caller.
import { StoreError } from '../errors/store-error.ts';
import { bareEtag } from './conditional-request.ts';
import { checksumAlgorithmOfElement, type S3ChecksumAlgorithm } from './checksum-names.ts';
import { elementsOf, malformedXml, parseRequestXml, textOf } from './request-xml.ts';
import { MAX_COMPLETE_PARTS, MAX_DELETE_OBJECTS, MAX_PART_NUMBER, MIN_PART_NUMBER } from './s3-limits.ts';

type Body = Uint8Array | string;

/** CreateBucket: the body is optional; LocationConstraint is undefined when absent or empty. */
export function parseCreateBucketConfiguration(body: Body): { locationConstraint?: string } {
  const root = parseRequestXml(body, 'CreateBucketConfiguration', []);
  const constraint = root === undefined ? undefined : textOf(root['LocationConstraint'])?.trim();
  return constraint ? { locationConstraint: constraint } : {};
}

export interface CompletedPartInput {
  readonly partNumber: number;
  /** Without quotes. */
  readonly etag: string;
  /** Checksum<ALG> elements given for the part, by lowercase algorithm. */
  readonly checksums: Partial<Record<S3ChecksumAlgorithm, string>>;
}

/**
 * CompleteMultipartUpload: at least one Part, each with a PartNumber in 1..10000 and an ETag
 * (quotes optional), in strictly ascending order (S3's InvalidPartOrder otherwise). Whether the
 * parts exist and match is the metadata service's to judge.
 */
export function parseCompleteMultipartUpload(body: Body): CompletedPartInput[] {
  const root = parseRequestXml(body, 'CompleteMultipartUpload', ['Part']);
  const parts = elementsOf(root?.['Part']);
  if (parts.length === 0 || parts.length > MAX_COMPLETE_PARTS) throw malformedXml();
  const out: CompletedPartInput[] = [];
  for (const part of parts) {
    const number = textOf(part['PartNumber'])?.trim();
    const etag = textOf(part['ETag']);
    if (number === undefined || etag === undefined || !/^[0-9]+$/.test(number)) throw malformedXml();
    const partNumber = Number(number);
    if (partNumber < MIN_PART_NUMBER || partNumber > MAX_PART_NUMBER) {
      throw new StoreError('InvalidArgument', `Part number must be an integer between ${MIN_PART_NUMBER} and ${MAX_PART_NUMBER}, inclusive`, {
        ArgumentName: 'partNumber', ArgumentValue: number,
      });
    }
    const previous = out.at(-1);
    if (previous !== undefined && partNumber <= previous.partNumber) {
      throw new StoreError('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.');
    }
    const checksums: Partial<Record<S3ChecksumAlgorithm, string>> = {};
    for (const name of Object.keys(part)) {
      const alg = checksumAlgorithmOfElement(name);
      const value = alg === undefined ? undefined : textOf(part[name])?.trim();
      if (alg !== undefined && value) checksums[alg] = value;
    }
    out.push({ partNumber, etag: bareEtag(etag), checksums });
  }
  return out;
}

export interface DeleteObjectsInput {
  readonly quiet: boolean;
  readonly objects: ReadonlyArray<{ readonly key: string; readonly versionId?: string }>;
}

/** DeleteObjects: 1..1000 Objects, each with a Key; Quiet true|false (default false). */
export function parseDeleteObjects(body: Body): DeleteObjectsInput {
  const root = parseRequestXml(body, 'Delete', ['Object']);
  const objects = elementsOf(root?.['Object']);
  if (objects.length === 0 || objects.length > MAX_DELETE_OBJECTS) throw malformedXml();
  const quietText = textOf(root?.['Quiet'])?.trim().toLowerCase();
  if (quietText !== undefined && quietText !== 'true' && quietText !== 'false') throw malformedXml();
  return {
    quiet: quietText === 'true',
    objects: objects.map((o) => {
      const key = textOf(o['Key']);
      if (key === undefined || key === '') throw malformedXml();
      const versionId = textOf(o['VersionId'])?.trim();
      return versionId ? { key, versionId } : { key };
    }),
  };
}

export type VersioningStatus = 'Enabled' | 'Suspended';

/**
 * PutBucketVersioning: Status Enabled or Suspended. Any other Status is
 * IllegalVersioningConfigurationException, as in S3; MFA Delete is not implemented.
 */
export function parseVersioningConfiguration(body: Body): { status: VersioningStatus } {
  const root = parseRequestXml(body, 'VersioningConfiguration', []);
  if (root === undefined) throw malformedXml();
  const status = textOf(root['Status'])?.trim();
  if (textOf(root['MfaDelete'])?.trim() === 'Enabled') {
    throw new StoreError('NotImplemented', 'MFA Delete is not implemented.');
  }
  if (status !== 'Enabled' && status !== 'Suspended') {
    throw new StoreError('IllegalVersioningConfigurationException', 'The versioning configuration specified in the request is invalid.');
  }
  return { status };
}
