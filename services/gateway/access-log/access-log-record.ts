// One access-log record (pure: no I/O) and its two renderings. The OSS line carries OSS's
// built-in access-log fields in OSS's order; the S3 line carries S3's server-access-log fields
// in S3's order. An unknown value is `-` in both, as both services write it.
//
// OSS order: Remote IP, Reserved, Reserved, Time, Request-URI, HTTP Status, SentBytes,
// RequestTime (ms), Referer, User-Agent, HostName, Request ID, LoggingFlag, Requester ID,
// Operation, Bucket, Key, ObjectSize, Server Cost Time (ms), Error Code, Request Length,
// UserID (bucket owner), Delta DataSize, Sync Request, StorageClass, TargetStorageClass,
// TransmissionAccelerationAccessPoint, AccessKeyId.

/** What the gateway knows about one finished request. Absent / '' means unknown. */
export interface AccessLogRecord {
  /** Unique per record across the cluster (gateway id + sequence): the delivery dedupes on it. */
  id: string;
  /** When the request arrived (ms since the epoch). */
  timeMs: number;
  remoteIp: string;
  method: string;
  /** Path and query as the client sent them. */
  requestUri: string;
  httpVersion: string;
  status: number;
  /** Response body bytes sent. */
  bytesSent: number;
  /** Arrival to last byte sent (ms). */
  requestTimeMs: number;
  /** Arrival to handler done (ms); the same as requestTimeMs when unknown. */
  serverTimeMs: number;
  referer: string;
  userAgent: string;
  host: string;
  requestId: string;
  /** The account the request acted as; '' for anonymous. */
  requester: string;
  accessKeyId: string;
  operation: string;
  bucket: string;
  key: string;
  objectSize?: number;
  errorCode: string;
  /** Request line + headers + body bytes received. */
  requestLength: number;
  bucketOwner: string;
  /** 'sigv4' | 'sigv2' | 'oss' | '' (anonymous). */
  signatureVersion: string;
  /** Which gateway served it (S3's Host Id). */
  hostId: string;
  /** 'access' (a bucket's access log) or 'audit' (admin / KMS API). */
  kind: 'access' | 'audit';
}

export type AccessLogFormat = 'oss' | 's3';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `[02/Feb/2026:10:11:12 +0000]`: the bracketed time both services use (always UTC here). */
export function bracketTime(ms: number): string {
  const d = new Date(ms);
  return `[${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000]`;
}

function plain(v: string | number | undefined): string {
  if (v === undefined || v === '') return '-';
  return String(v).replace(/[\s"\\]/g, (c) => (c === ' ' ? '%20' : encodeURIComponent(c)));
}

function quoted(v: string | number | undefined): string {
  if (v === undefined || v === '') return '"-"';
  return `"${String(v).replace(/["\\\r\n]/g, (c) => encodeURIComponent(c))}"`;
}

/** One OSS access-log line (no newline). */
export function formatOssLine(r: AccessLogRecord): string {
  return [
    plain(r.remoteIp), '-', '-', bracketTime(r.timeMs),
    quoted(`${r.method} ${r.requestUri} HTTP/${r.httpVersion || '1.1'}`),
    String(r.status), plain(r.bytesSent), plain(r.requestTimeMs),
    quoted(r.referer), quoted(r.userAgent), quoted(r.host), quoted(r.requestId),
    quoted('true'), quoted(r.requester), quoted(r.operation), quoted(r.bucket), quoted(r.key ? encodeURIComponent(r.key) : ''),
    plain(r.objectSize), plain(r.serverTimeMs), quoted(r.errorCode), plain(r.requestLength),
    quoted(r.bucketOwner), '-', quoted(''), quoted(''), quoted(''), quoted(''), quoted(r.accessKeyId),
  ].join(' ');
}

/** S3's REST.<METHOD>.<RESOURCE> operation name, from the internal operation. */
export function s3OperationName(method: string, operation: string, key: string): string {
  const type = operation.startsWith('List') && !key ? 'BUCKET'
    : operation.endsWith('Acl') ? 'ACL'
    : operation.startsWith('GetBucket') || operation.startsWith('PutBucket') || operation.startsWith('DeleteBucket')
      ? operation.replace(/^(Get|Put|Delete)Bucket/, '').toUpperCase() || 'BUCKET'
    : key ? (operation.includes('Upload') || operation.includes('Multipart') ? 'UPLOAD' : 'OBJECT') : 'BUCKET';
  return `REST.${method.toUpperCase()}.${type}`;
}

/** One S3 server-access-log line (no newline). */
export function formatS3Line(r: AccessLogRecord): string {
  return [
    plain(r.bucketOwner), plain(r.bucket), bracketTime(r.timeMs), plain(r.remoteIp), plain(r.requester),
    plain(r.requestId), plain(r.kind === 'audit' || !r.operation ? r.operation : s3OperationName(r.method, r.operation, r.key)),
    plain(r.key ? encodeURIComponent(r.key) : ''),
    quoted(`${r.method} ${r.requestUri} HTTP/${r.httpVersion || '1.1'}`),
    String(r.status), plain(r.errorCode), plain(r.bytesSent), plain(r.objectSize),
    plain(r.requestTimeMs), plain(r.serverTimeMs), quoted(r.referer), quoted(r.userAgent),
    '-', plain(r.hostId), plain(r.signatureVersion === 'sigv4' ? 'SigV4' : r.signatureVersion === 'sigv2' ? 'SigV2' : ''),
    '-', plain(r.signatureVersion ? 'AuthHeader' : ''), plain(r.host), '-', '-', '-',
  ].join(' ');
}

export function formatLine(r: AccessLogRecord, format: AccessLogFormat): string {
  return format === 's3' ? formatS3Line(r) : formatOssLine(r);
}

/**
 * A log object's key: `<prefix><bucket>YYYY-mm-DD-HH-MM-SS-<unique>` (UTC). `unique` is
 * derived from the records it holds, so a redelivery after a crash writes the same key again
 * rather than a duplicate object.
 */
export function logObjectKey(prefix: string, bucket: string, timeMs: number, unique: string): string {
  const d = new Date(timeMs);
  const stamp = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}-${two(d.getUTCHours())}-${two(d.getUTCMinutes())}-${two(d.getUTCSeconds())}`;
  return `${prefix}${bucket}${stamp}-${unique}`;
}
