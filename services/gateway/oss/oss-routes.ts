// Method × addressed resource × sub-resource → operation, for OSS requests. The operation
// names are the internal ones (S3's, plus those only OSS has): OSS's PutBucket is CreateBucket,
// InitiateMultipartUpload is CreateMultipartUpload, DeleteMultipleObjects is DeleteObjects.
// Known OSS sub-resources we do not serve answer NotImplemented; a known resource asked with
// the wrong method answers MethodNotAllowed.
import type { Operation } from '../dialect/operation.ts';
import { StoreError } from '../errors/store-error.ts';
import { type HeaderBag, headerValue, parsePartNumber } from '../s3/index.ts';

type Level = 'service' | 'bucket' | 'object';
type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
type Answer = Operation | 'NotImplemented';
type MethodTable = Readonly<Partial<Record<Method, Answer>>>;

/** OSS sub-resources of features zonestore does not have (yet), at any level. */
export const OSS_NOT_IMPLEMENTED_SUBRESOURCES: readonly string[] = [
  'accessMonitor', 'asyncFetch', 'bucketArchiveDirectRead', 'cname', 'cors', 'dataRedundancyTransition', 'encryption',
  'httpsConfig', 'img', 'inventory', 'live', 'metaQuery', 'policy', 'policyStatus',
  'qos', 'redundancyTransition', 'regions', 'replication', 'replicationLocation',
  'replicationProgress', 'requestPayment', 'resourceGroup', 'restore', 'style', 'transferAcceleration',
  'userDefinedLogFieldsConfig', 'website', 'x-oss-async-process', 'x-oss-process',
];

/** At the service level OSS also has the account-wide Block Public Access, which zonestore does not serve. */
const OSS_SERVICE_NOT_IMPLEMENTED_SUBRESOURCES: readonly string[] = [...OSS_NOT_IMPLEMENTED_SUBRESOURCES, 'publicAccessBlock'];

// Checked in this order; the first present sub-resource decides.
const BUCKET_SUBRESOURCES: ReadonlyArray<readonly [string, MethodTable]> = [
  ['bucketInfo', { GET: 'GetBucketInfo' }],
  // ExtendBucketWorm carries wormId too, so wormExtend is looked at first.
  ['wormExtend', { POST: 'ExtendBucketWorm' }],
  ['wormId', { POST: 'CompleteBucketWorm' }],
  ['worm', { GET: 'GetBucketWorm', POST: 'InitiateBucketWorm', DELETE: 'AbortBucketWorm' }],
  ['stat', { GET: 'GetBucketStat' }],
  ['encryption', { GET: 'GetBucketEncryption', PUT: 'PutBucketEncryption', DELETE: 'DeleteBucketEncryption' }],
  ['lifecycle', { GET: 'GetBucketLifecycle', PUT: 'PutBucketLifecycle', DELETE: 'DeleteBucketLifecycle' }],
  ['logging', { GET: 'GetBucketLogging', PUT: 'PutBucketLogging', DELETE: 'DeleteBucketLogging' }],
  ['location', { GET: 'GetBucketLocation' }],
  ['acl', { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' }],
  ['policy', { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' }],
  ['referer', { GET: 'GetBucketReferer', PUT: 'PutBucketReferer' }],
  ['publicAccessBlock', { GET: 'GetPublicAccessBlock', PUT: 'PutPublicAccessBlock', DELETE: 'DeletePublicAccessBlock' }],
  ['versioning', { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' }],
  ['versions', { GET: 'ListObjectVersions' }],
  ['uploads', { GET: 'ListMultipartUploads' }],
  ['delete', { POST: 'DeleteObjects' }],
  // Bucket tagging is a different feature from object tagging.
  ['tagging', { GET: 'NotImplemented', PUT: 'NotImplemented', DELETE: 'NotImplemented' }],
];

const OBJECT_SUBRESOURCES: ReadonlyArray<readonly [string, MethodTable]> = [
  // PUT is refined below into UploadPart / UploadPartCopy.
  ['uploadId', { GET: 'ListParts', PUT: 'UploadPart', POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload' }],
  ['uploads', { POST: 'CreateMultipartUpload' }],
  ['append', { POST: 'AppendObject' }],
  ['symlink', { GET: 'GetSymlink', PUT: 'PutSymlink' }],
  ['tagging', { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' }],
  ['objectMeta', { HEAD: 'GetObjectMeta' }],
  ['acl', { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' }],
];

const SERVICE: MethodTable = { GET: 'ListBuckets' };
// HEAD on a bucket is no OSS API but S3-minded tools send it; a POST to a bucket is PostObject.
const BUCKET: MethodTable = { GET: 'ListObjects', HEAD: 'HeadBucket', PUT: 'CreateBucket', DELETE: 'DeleteBucket', POST: 'NotImplemented' };
const OBJECT: MethodTable = { GET: 'GetObject', HEAD: 'HeadObject', PUT: 'PutObject', DELETE: 'DeleteObject' };

const METHODS: ReadonlySet<string> = new Set<Method>(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

export const OSS_COPY_SOURCE_HEADER = 'x-oss-copy-source';

export interface OssRouteInput {
  readonly method: string;
  readonly level: Level;
  readonly query: ReadonlyMap<string, string>;
  /** The request's own (OSS-named) headers: routing runs before they are translated. */
  readonly headers: HeaderBag;
}

export function routeOssOperation({ method, level, query, headers }: OssRouteInput): Operation {
  if (method === 'OPTIONS') throw new StoreError('NotImplemented', 'CORS is not implemented.', { Method: method });
  if (!METHODS.has(method)) throw methodNotAllowed(method, level);
  const m = method as Method;
  if (level === 'service') {
    const unserved = OSS_SERVICE_NOT_IMPLEMENTED_SUBRESOURCES.find((name) => query.has(name));
    if (unserved !== undefined) throw notImplemented(`The ?${unserved} sub-resource is not implemented.`, m);
    return decide(SERVICE, m, level, undefined);
  }
  for (const [name, table] of level === 'bucket' ? BUCKET_SUBRESOURCES : OBJECT_SUBRESOURCES) {
    if (!query.has(name)) continue;
    const op = decide(table, m, level, name);
    if (op === 'UploadPart') return uploadPartKind(query, headers);
    if (op === 'AppendObject') checkAppendPosition(query.get('position'));
    return op;
  }
  const unserved = OSS_NOT_IMPLEMENTED_SUBRESOURCES.find((name) => query.has(name));
  if (unserved !== undefined) throw notImplemented(`The ?${unserved} sub-resource is not implemented.`, m);
  const op = decide(level === 'bucket' ? BUCKET : OBJECT, m, level, undefined);
  if (op === 'ListObjects') return listKind(query);
  if (op === 'PutObject' && headerValue(headers, OSS_COPY_SOURCE_HEADER) !== undefined) return 'CopyObject';
  return op;
}

function decide(table: MethodTable, method: Method, level: Level, subresource: string | undefined): Operation {
  const answer = table[method];
  if (answer === undefined) throw methodNotAllowed(method, level);
  if (answer === 'NotImplemented') {
    throw notImplemented(`${subresource === undefined ? `${method} on a ${level}` : `${method} ?${subresource}`} is not implemented.`, method);
  }
  return answer;
}

function listKind(query: ReadonlyMap<string, string>): Operation {
  const listType = query.get('list-type');
  if (listType === undefined) return 'ListObjects';
  if (listType === '2') return 'ListObjectsV2';
  throw new StoreError('InvalidArgument', 'Invalid list-type specified in request', { ArgumentName: 'list-type', ArgumentValue: listType });
}

function uploadPartKind(query: ReadonlyMap<string, string>, headers: HeaderBag): Operation {
  if (parsePartNumber(query.get('partNumber')) === undefined) {
    throw new StoreError('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', {
      ArgumentName: 'partNumber', ArgumentValue: '',
    });
  }
  return headerValue(headers, OSS_COPY_SOURCE_HEADER) === undefined ? 'UploadPart' : 'UploadPartCopy';
}

// The handler checks the position against the object; a missing or non-numeric one is the
// request's own fault, answered before anything is read.
function checkAppendPosition(position: string | undefined): void {
  if (position === undefined || !/^[0-9]{1,16}$/.test(position)) {
    throw new StoreError('InvalidArgument', 'The position of an append must be a non-negative integer.', {
      ArgumentName: 'position', ArgumentValue: position ?? '',
    });
  }
}

function notImplemented(message: string, method: string): StoreError {
  return new StoreError('NotImplemented', message, { Method: method });
}

function methodNotAllowed(method: string, level: Level): StoreError {
  return new StoreError('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
    Method: method, ResourceType: level === 'service' ? 'Service' : level === 'bucket' ? 'Bucket' : 'Object',
  });
}
