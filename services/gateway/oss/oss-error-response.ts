// StoreError → OSS error document, status and headers: the one place the OSS dialect maps
// errors. The document is `<Error>` (no namespace) with Code, Message, RequestId, HostId, then
// the error's details (BucketName, Key, ArgumentName, OSSAccessKeyId, StringToSign …), then EC.
// A HEAD answer has no body, so the document travels base64-encoded in `x-oss-err` (ali-oss
// decodes it from there); a 304 carries nothing.
//
// Codes where OSS differs from S3 (every other code is the same in both):
// | StoreError code                                   | OSS code                  | status |
// |---------------------------------------------------|---------------------------|--------|
// | KeyTooLongError                                   | InvalidObjectName         | 400    |
// | BucketAlreadyOwnedByYou                           | BucketAlreadyExists       | 409    |
// | BadDigest                                         | InvalidDigest             | 400    |
// | IllegalLocationConstraintException                | InvalidLocationConstraint | 400    |
// | ServerSideEncryptionConfigurationNotFoundError    | NoSuchServerSideEncryptionRule | 404 |
// | NoSuchLifecycleConfiguration                      | NoSuchLifecycle           | 404    |
// | PreconditionFailed on If-None-Match of a PUT/POST | FileAlreadyExists         | 409    |
// | AccessDenied of a WORM/lock-protected object      | FileImmutable             | 409    |
// (the last is x-oss-forbid-overwrite: true refused, which arrives as If-None-Match: *).
import type { ErrorRendering } from '../dialect/dialect.ts';
import type { StoreError, StoreErrorCode } from '../errors/store-error.ts';
import { ossDocument } from './oss-xml-fragments.ts';

export interface OssErrorContext {
  readonly requestId: string;
  readonly hostId: string;
  /** `/bucket/key`; OSS documents carry no Resource element, so it is unused. */
  readonly resource?: string;
  readonly method: string;
}

const RENAMED: Partial<Record<StoreErrorCode, { code: string; status?: number }>> = {
  KeyTooLongError: { code: 'InvalidObjectName' },
  BucketAlreadyOwnedByYou: { code: 'BucketAlreadyExists' },
  BadDigest: { code: 'InvalidDigest' },
  IllegalLocationConstraintException: { code: 'InvalidLocationConstraint' },
  ServerSideEncryptionConfigurationNotFoundError: { code: 'NoSuchServerSideEncryptionRule' },
  NoSuchLifecycleConfiguration: { code: 'NoSuchLifecycle' },
};

const FILE_ALREADY_EXISTS = { code: 'FileAlreadyExists', status: 409, message: 'The object you specified already exists and can not be overwritten.' };

// Details whose names are lowercase are for handlers; these two common ones have element names.
const DETAIL_ALIASES: Readonly<Record<string, string>> = { bucket: 'BucketName', key: 'Key' };
const ELEMENT_NAME = /^[A-Z][A-Za-z0-9]*$/;
const FIXED_ELEMENTS: ReadonlySet<string> = new Set(['Code', 'Message', 'RequestId', 'HostId', 'EC', 'Resource']);
// Details that name request headers: OSS clients sent the x-oss- form of what we read as x-amz-.
const HEADER_NAMING_DETAILS: ReadonlySet<string> = new Set(['ArgumentName', 'Condition', 'HeaderName']);
const WRITES: ReadonlySet<string> = new Set(['PUT', 'POST']);

/** The OSS code (and status) an error answers with. */
export function ossErrorCode(err: Pick<StoreError, 'code' | 'status' | 'details'>, method: string): { code: string; status: number; message?: string } {
  if (err.code === 'PreconditionFailed' && err.details['Condition'] === 'If-None-Match' && WRITES.has(method.toUpperCase())) {
    return FILE_ALREADY_EXISTS;
  }
  if (err.code === 'AccessDenied' && err.details['Protection'] !== undefined) {
    return { code: 'FileImmutable', status: 409, message: 'The object is protected by the bucket\'s retention policy and cannot be deleted or overwritten until the retention period ends.' };
  }
  const renamed = RENAMED[err.code];
  return { code: renamed?.code ?? err.code, status: renamed?.status ?? err.status };
}

/** The OSS name of an error code (DeleteMultipleObjects reports codes without an error object). */
export function ossCodeName(code: string): string {
  return Object.hasOwn(RENAMED, code) ? RENAMED[code as StoreErrorCode]!.code : code;
}

export function renderOssErrorDocument(err: StoreError, ctx: OssErrorContext): string {
  const mapped = ossErrorCode(err, ctx.method);
  const w = ossDocument('Error')
    .leaf('Code', mapped.code)
    .leaf('Message', mapped.message ?? err.message)
    .leaf('RequestId', ctx.requestId)
    .leaf('HostId', ctx.hostId);
  const written = new Set<string>();
  for (const [name, value] of Object.entries(err.details)) {
    const element = DETAIL_ALIASES[name] ?? name;
    if (!ELEMENT_NAME.test(element) || FIXED_ELEMENTS.has(element) || written.has(element)) continue;
    written.add(element);
    w.leaf(element, HEADER_NAMING_DETAILS.has(element) ? ossHeaderName(value) : value);
  }
  return w.nonEmpty('EC', err.details['EC']).toString();
}

export function renderOssError(err: StoreError, ctx: OssErrorContext): ErrorRendering {
  const { status } = ossErrorCode(err, ctx.method);
  const headers: Record<string, string> = {};
  const ec = err.details['EC'];
  if (ec) headers['x-oss-ec'] = ec;
  // A refused append tells the client where the object ends, in the header as OSS does.
  const next = err.details['NextAppendPosition'];
  if (err.code === 'PositionNotEqualToLength' && next) headers['x-oss-next-append-position'] = next;
  if (status === 304) return { status, headers };
  const document = renderOssErrorDocument(err, ctx);
  if (ctx.method.toUpperCase() === 'HEAD') {
    return { status, headers: { ...headers, 'x-oss-err': Buffer.from(document, 'utf8').toString('base64') } };
  }
  return { status, headers: { ...headers, 'content-type': 'application/xml' }, body: document };
}

function ossHeaderName(value: string): string {
  return value.replace(/^x-amz-/i, 'x-oss-');
}
