// What of the request target OSS signatures cover: V1's CanonicalizedResource (the bucket, the
// key and the sub-resource parameters only) and V4's canonical URI and query (every parameter).
// Both start from the bucket and key the request addresses, not from the raw path: a
// virtual-hosted request (`Host: bucket.oss-…`, path `/key`) signs `/bucket/key` as a
// path-style one does.
import { type QueryParam, sigv4Encode } from '../auth/sigv4-uri-encoding.ts';
import { utf8ByteString } from './oss-string-bytes.ts';

/**
 * The bucket and decoded key a request addresses, as the router decided them (the dialect's
 * ParsedRequest fits). Taking them from the router, instead of reading the Host header again
 * here, is what makes the signature cover the object the request will act on.
 */
export interface OssSignedTarget {
  readonly bucket?: string | undefined;
  readonly key?: string | undefined;
}

/**
 * Query parameters V1 signs: the union of what the OSS SDKs put in the CanonicalizedResource
 * (ali-oss 6.x, alibabacloud-oss-go-sdk-v2, the Java and Python SDKs' lists) and the OSS
 * documentation's sub-resource list. Any other parameter (prefix, marker, max-keys, …) is not
 * signed in V1; every `x-oss-*` parameter is (see isV1SignedParameter).
 */
export const OSS_V1_SIGNED_PARAMETERS: ReadonlySet<string> = new Set([
  'acl', 'append', 'asyncFetch', 'bucketInfo', 'callback', 'callback-var', 'cloudboxes', 'cname', 'comp',
  'continuation-token', 'cors', 'delete', 'encryption', 'endTime', 'img', 'inventory', 'inventoryId', 'lifecycle',
  'live', 'location', 'logging', 'objectMeta', 'partNumber', 'policy', 'position', 'publicAccessBlock', 'qos', 'referer', 'regionList',
  'replication', 'replicationLocation', 'replicationProgress', 'requestPayment', 'response-cache-control',
  'response-content-disposition', 'response-content-encoding', 'response-content-language', 'response-content-type',
  'response-expires', 'restore', 'security-token', 'sequential', 'startTime', 'stat', 'status', 'style', 'styleName',
  'symlink', 'tagging', 'udf', 'udfApplication', 'udfApplicationLog', 'udfId', 'udfImage', 'udfImageDesc', 'udfName',
  'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'vod', 'website', 'worm', 'wormExtend', 'wormId',
]);

/** `x-oss-process`, `x-oss-traffic-limit` and the like: the Go SDK signs every such parameter. */
const SIGNED_PARAMETER_PREFIX = 'x-oss-';

export function isV1SignedParameter(name: string): boolean {
  return OSS_V1_SIGNED_PARAMETERS.has(name) || name.startsWith(SIGNED_PARAMETER_PREFIX);
}

function hasKey(target: OssSignedTarget): target is { bucket: string; key: string } {
  return target.bucket !== undefined && target.bucket !== '' && target.key !== undefined && target.key !== '';
}

/** `/`, `/bucket/` or `/bucket/key` as text; a key without a bucket cannot be addressed. */
function resourcePath(target: OssSignedTarget): string {
  if (target.bucket === undefined || target.bucket === '') return '/';
  return hasKey(target) ? `/${target.bucket}/${target.key}` : `/${target.bucket}/`;
}

/**
 * V1's CanonicalizedResource as a byte string: the path with the key as decoded text (not
 * re-encoded), then the signed parameters sorted by name, decoded, `name` alone when the value
 * is empty: `/bucket/key?partNumber=1&uploadId=abc`.
 */
export function canonicalizedResourceV1(target: OssSignedTarget, query: readonly QueryParam[]): string {
  const signed = query
    .filter((p) => isV1SignedParameter(p.name))
    .map((p) => [p.name, p.value ?? ''] as const)
    .sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  const params = signed.map(([name, value]) => (value === '' ? name : `${name}=${value}`)).join('&');
  return utf8ByteString(params === '' ? resourcePath(target) : `${resourcePath(target)}?${params}`);
}

/** V4's canonical URI: `/bucket/key` (or `/bucket/`, `/`) URI-encoded with '/' kept. */
export function canonicalUriV4(target: OssSignedTarget): string {
  return resourcePath(target).split('/').map((segment) => sigv4Encode(Buffer.from(segment, 'utf8'))).join('/');
}

/**
 * V4's canonical query: every parameter but those `omit` names (the presigned signature),
 * URI-encoded (the SigV4 set: A-Z a-z 0-9 - . _ ~ kept), sorted by encoded name then value,
 * and `name` alone when the value is empty — the rule of the Go and C# SDKs and the OSS
 * documentation. `emptyValuesKeepEquals` gives `name=` instead for parameters sent with an
 * explicit `=` (ali-oss's JavaScript signer spells an empty value that way); see
 * authenticate-oss.ts for when it is tried.
 */
export function canonicalQueryV4(
  query: readonly QueryParam[], o: { omit?: (p: QueryParam) => boolean; emptyValuesKeepEquals?: boolean } = {},
): string {
  const pairs = query
    .filter((p) => !o.omit?.(p))
    .map((p) => ({ name: p.encodedName, value: p.encodedValue, withEquals: o.emptyValuesKeepEquals === true && p.value === '' }));
  pairs.sort((a, b) => compare(a.name, b.name) || compare(a.value, b.value));
  return pairs.map((p) => (p.value !== '' || p.withEquals ? `${p.name}=${p.value}` : p.name)).join('&');
}

/** Whether some parameter was sent as `name=` with nothing after it. */
export function hasExplicitEmptyValue(query: readonly QueryParam[]): boolean {
  return query.some((p) => p.value === '');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
