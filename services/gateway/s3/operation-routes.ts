// Method × addressed resource × sub-resource → S3 operation. A sub-resource we know but do not
// serve answers NotImplemented (so clients see an honest 501, not a listing or an object);
// a known resource asked with the wrong method answers MethodNotAllowed.
import { StoreError } from '../errors/store-error.ts';
import { type HeaderBag, headerValue } from './header-bag.ts';
import { parsePartNumber } from './query-params.ts';
import type { S3Operation } from './s3-request.ts';

type Level = 'service' | 'bucket' | 'object';
type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
/** What a method does to a resource: an operation, or a known feature we do not serve. */
type Answer = S3Operation | 'NotImplemented';
type MethodTable = Readonly<Partial<Record<Method, Answer>>>;

/** Sub-resources of features zonestore does not have (yet), at either level. */
export const NOT_IMPLEMENTED_SUBRESOURCES: readonly string[] = [
  'accelerate', 'analytics', 'attributes', 'cors', 'encryption', 'intelligent-tiering', 'inventory',
  'metadataConfiguration', 'metadataTable', 'metrics', 'notification',
  'policy', 'policyStatus', 'replication',
  'requestPayment', 'restore', 'select', 'session', 'tagging', 'torrent', 'website',
];

// Checked in this order; the first present sub-resource decides.
const BUCKET_SUBRESOURCES: ReadonlyArray<readonly [string, MethodTable]> = [
  ['versioning', { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' }],
  ['object-lock', { GET: 'GetObjectLockConfiguration', PUT: 'PutObjectLockConfiguration' }],
  ['acl', { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' }],
  ['policy', { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' }],
  ['publicAccessBlock', { GET: 'GetPublicAccessBlock', PUT: 'PutPublicAccessBlock', DELETE: 'DeletePublicAccessBlock' }],
  ['ownershipControls', { GET: 'GetBucketOwnershipControls', PUT: 'PutBucketOwnershipControls', DELETE: 'DeleteBucketOwnershipControls' }],
  ['encryption', { GET: 'GetBucketEncryption', PUT: 'PutBucketEncryption', DELETE: 'DeleteBucketEncryption' }],
  ['lifecycle', { GET: 'GetBucketLifecycle', PUT: 'PutBucketLifecycle', DELETE: 'DeleteBucketLifecycle' }],
  // S3 turns logging off with an empty BucketLoggingStatus; it has no DELETE ?logging.
  ['logging', { GET: 'GetBucketLogging', PUT: 'PutBucketLogging' }],
  ['location', { GET: 'GetBucketLocation' }],
  ['uploads', { GET: 'ListMultipartUploads' }],
  ['versions', { GET: 'ListObjectVersions' }],
  ['delete', { POST: 'DeleteObjects' }],
];

const OBJECT_SUBRESOURCES: ReadonlyArray<readonly [string, MethodTable]> = [
  ['retention', { GET: 'GetObjectRetention', PUT: 'PutObjectRetention' }],
  ['legal-hold', { GET: 'GetObjectLegalHold', PUT: 'PutObjectLegalHold' }],
  // PUT is refined below into UploadPart / UploadPartCopy.
  ['uploadId', { GET: 'ListParts', PUT: 'UploadPart', POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload' }],
  ['uploads', { POST: 'CreateMultipartUpload' }],
  ['acl', { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' }],
];

const SERVICE: MethodTable = { GET: 'ListBuckets' };
// A POST to a bucket is a browser form upload (PostObject).
const BUCKET: MethodTable = { GET: 'ListObjects', HEAD: 'HeadBucket', PUT: 'CreateBucket', DELETE: 'DeleteBucket', POST: 'NotImplemented' };
const OBJECT: MethodTable = { GET: 'GetObject', HEAD: 'HeadObject', PUT: 'PutObject', DELETE: 'DeleteObject' };

const METHODS: ReadonlySet<string> = new Set<Method>(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

export interface RouteInput {
  readonly method: string;
  readonly level: Level;
  readonly query: ReadonlyMap<string, string>;
  readonly headers: HeaderBag;
}

export function routeOperation({ method, level, query, headers }: RouteInput): S3Operation {
  if (method === 'OPTIONS') {
    // CORS preflight: there is no CORS configuration to answer it from.
    throw new StoreError('NotImplemented', 'CORS is not implemented.', { Method: method });
  }
  if (!METHODS.has(method)) throw methodNotAllowed(method, level);
  const m = method as Method;
  if (level === 'service') return decide(SERVICE, m, level, undefined);

  for (const [name, table] of level === 'bucket' ? BUCKET_SUBRESOURCES : OBJECT_SUBRESOURCES) {
    if (!query.has(name)) continue;
    const op = decide(table, m, level, name);
    return op === 'UploadPart' ? uploadPartKind(query, headers) : op;
  }
  const unserved = NOT_IMPLEMENTED_SUBRESOURCES.find((name) => query.has(name));
  if (unserved !== undefined) {
    throw new StoreError('NotImplemented', `The ?${unserved} sub-resource is not implemented.`, { Method: method });
  }
  const op = decide(level === 'bucket' ? BUCKET : OBJECT, m, level, undefined);
  if (op === 'ListObjects') return listKind(query);
  if (op === 'PutObject' && headerValue(headers, 'x-amz-copy-source') !== undefined) return 'CopyObject';
  return op;
}

function decide(table: MethodTable, method: Method, level: Level, subresource: string | undefined): S3Operation {
  const answer = table[method];
  if (answer === undefined) throw methodNotAllowed(method, level);
  if (answer === 'NotImplemented') {
    const what = subresource === undefined ? `${method} on a ${level}` : `${method} ?${subresource}`;
    throw new StoreError('NotImplemented', `${what} is not implemented.`, { Method: method });
  }
  return answer;
}

function listKind(query: ReadonlyMap<string, string>): S3Operation {
  const listType = query.get('list-type');
  if (listType === undefined) return 'ListObjects';
  if (listType === '2') return 'ListObjectsV2';
  throw new StoreError('InvalidArgument', 'Invalid List Type specified in Request', {
    ArgumentName: 'list-type', ArgumentValue: listType,
  });
}

function uploadPartKind(query: ReadonlyMap<string, string>, headers: HeaderBag): S3Operation {
  if (parsePartNumber(query.get('partNumber')) === undefined) {
    throw new StoreError('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', {
      ArgumentName: 'partNumber', ArgumentValue: '',
    });
  }
  return headerValue(headers, 'x-amz-copy-source') === undefined ? 'UploadPart' : 'UploadPartCopy';
}

function methodNotAllowed(method: string, level: Level): StoreError {
  return new StoreError('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
    Method: method, ResourceType: level.toUpperCase(),
  });
}
