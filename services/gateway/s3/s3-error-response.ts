// StoreError → S3 error document and status: the one place the S3 dialect maps errors.
import { isStoreError, StoreError } from '../errors/store-error.ts';
import { XmlWriter } from './xml-writer.ts';

export interface S3ErrorContext {
  readonly requestId: string;
  readonly hostId: string;
  /** The addressed resource (`/bucket/key`); omitted from the document when undefined. */
  readonly resource?: string;
}

// Details whose names are lowercase are for handlers; these two common ones have S3 names.
const DETAIL_ALIASES: Readonly<Record<string, string>> = { bucket: 'BucketName', key: 'Key' };
const ELEMENT_NAME = /^[A-Z][A-Za-z0-9]*$/;
// EC is OSS's error-center code: the OSS document carries it, S3's does not.
const FIXED_ELEMENTS = new Set(['Code', 'Message', 'Resource', 'RequestId', 'HostId', 'EC']);

/**
 * `<Error>` (no namespace, as S3 sends it): Code, Message, then the error's details — every
 * detail named like an S3 element (BucketName, Key, ArgumentName, Condition, RangeRequested …)
 * becomes one, in insertion order, so handlers add S3's extra elements just by naming them —
 * then Resource, RequestId, HostId. A 304 or a HEAD answer carries no body; that is the
 * caller's to know (see s3ErrorHasBody).
 */
export function renderS3Error(err: StoreError, ctx: S3ErrorContext): string {
  const w = XmlWriter.document('Error', null).leaf('Code', err.code).leaf('Message', err.message);
  const written = new Set<string>();
  for (const [name, value] of Object.entries(err.details)) {
    const element = DETAIL_ALIASES[name] ?? name;
    if (!ELEMENT_NAME.test(element) || FIXED_ELEMENTS.has(element) || written.has(element)) continue;
    written.add(element);
    w.leaf(element, value);
  }
  return w.optional('Resource', ctx.resource).leaf('RequestId', ctx.requestId).leaf('HostId', ctx.hostId).toString();
}

/** The HTTP status of an error in S3. The shared table is S3's, so this is err.status. */
export function s3ErrorStatus(err: StoreError): number {
  return err.status;
}

/** Whether the answer may carry the XML document: not for HEAD, not for 304. */
export function s3ErrorHasBody(err: StoreError, method: string): boolean {
  return method !== 'HEAD' && err.code !== 'NotModified';
}

/** Anything thrown, as a StoreError: unknown failures become InternalError without leaking their text. */
export function asStoreError(err: unknown): StoreError {
  return isStoreError(err) ? err : new StoreError('InternalError', 'We encountered an internal error. Please try again.');
}
