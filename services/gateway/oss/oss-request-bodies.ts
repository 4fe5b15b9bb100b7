// The request bodies whose OSS shape differs from S3's. DeleteMultipleObjects and
// CompleteMultipartUpload bodies are S3's shapes exactly (Delete/Quiet/Object/Key[/VersionId],
// CompleteMultipartUpload/Part/PartNumber+ETag), so the S3 parsers serve both dialects.
import { StoreError } from '../errors/store-error.ts';
import { elementsOf, malformedXml, parseRequestXml, textOf } from '../s3/request-xml.ts';
import { MAX_OBJECT_TAGS, MAX_TAG_KEY_CHARS, MAX_TAG_VALUE_CHARS } from './oss-limits.ts';
import { storedStorageClass } from './oss-storage-class.ts';

type Body = Uint8Array | string;

// Every bucket keeps copies in three zones: both of OSS's redundancy types are satisfied.
const REDUNDANCY_TYPES: ReadonlySet<string> = new Set(['LRS', 'ZRS']);

/**
 * PutBucket: an optional CreateBucketConfiguration with StorageClass (the bucket default, as a
 * stored class name) and DataRedundancyType; a LocationConstraint is read as S3's parser reads
 * it. Same signature as S3's parser, plus the storage class.
 */
export function parseOssCreateBucketConfiguration(body: Body): { locationConstraint?: string; storageClass?: string } {
  const root = parseRequestXml(body, 'CreateBucketConfiguration', []);
  if (root === undefined) return {};
  const out: { locationConstraint?: string; storageClass?: string } = {};
  const constraint = textOf(root['LocationConstraint'])?.trim();
  if (constraint) out.locationConstraint = constraint;
  const storageClass = textOf(root['StorageClass'])?.trim();
  if (storageClass) out.storageClass = storedStorageClass(storageClass);
  const redundancy = textOf(root['DataRedundancyType'])?.trim();
  if (redundancy && !REDUNDANCY_TYPES.has(redundancy)) {
    throw new StoreError('InvalidArgument', 'DataRedundancyType must be LRS or ZRS.', { ArgumentName: 'DataRedundancyType', ArgumentValue: redundancy });
  }
  return out;
}

/**
 * PutObjectTagging: Tagging/TagSet/Tag{Key,Value}. The structure wrong is MalformedXML; the
 * tags wrong (an empty or overlong key, an overlong value, a key twice, more than 10) are
 * InvalidTag. A Tag without Value has the empty value.
 */
export function parseOssTagging(body: Body): Record<string, string> {
  const root = parseRequestXml(body, 'Tagging', ['Tag', 'TagSet']);
  if (root === undefined) throw malformedXml();
  const sets = elementsOf(root['TagSet']);
  if (sets.length !== 1) throw malformedXml();
  const tags = elementsOf(sets[0]!['Tag']);
  if (tags.length > MAX_OBJECT_TAGS) throw invalidTag(`An object can have at most ${MAX_OBJECT_TAGS} tags.`);
  const out: Record<string, string> = {};
  for (const tag of tags) {
    const [key, value] = [textOf(tag['Key']), textOf(tag['Value']) ?? ''];
    if (key === undefined) throw malformedXml();
    checkTag(key, value);
    if (Object.hasOwn(out, key)) throw invalidTag('Tag keys must be unique.', key);
    out[key] = value;
  }
  return out;
}

function checkTag(key: string, value: string): void {
  if (key === '') throw invalidTag('A tag key must not be empty.', key);
  if ([...key].length > MAX_TAG_KEY_CHARS) throw invalidTag(`A tag key is at most ${MAX_TAG_KEY_CHARS} characters.`, key);
  if ([...value].length > MAX_TAG_VALUE_CHARS) throw invalidTag(`A tag value is at most ${MAX_TAG_VALUE_CHARS} characters.`, key);
}

function invalidTag(message: string, key?: string): StoreError {
  return new StoreError('InvalidTag', message, key === undefined ? {} : { TagKey: key });
}

