// OSS signature V1: HMAC-SHA1, base64, over
//   VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedOSSHeaders CanonicalizedResource
// where Date is the request's date for a signed header and Expires for a signed URL.
import { createHmac } from 'node:crypto';
import { headerValue, type RequestHeaders } from '../auth/request-view.ts';
import { canonicalHeaderLines, ossHeaderNames } from './oss-canonical-headers.ts';
import { byteStringBytes, headerByteString } from './oss-string-bytes.ts';

export interface V1StringToSignInput {
  method: string;
  headers: RequestHeaders;
  /** What fills the Date line: x-oss-date or Date as sent, or a signed URL's Expires. */
  date: string;
  /** canonicalizedResourceV1(...) */
  canonicalizedResource: string;
}

/** The string to sign, as a byte string. */
export function v1StringToSign(i: V1StringToSignInput): string {
  const contentMd5 = headerByteString(headerValue(i.headers, 'content-md5') ?? '');
  const contentType = headerByteString(headerValue(i.headers, 'content-type') ?? '');
  const ossHeaders = canonicalHeaderLines(i.headers, ossHeaderNames(i.headers));
  return `${i.method}\n${contentMd5}\n${contentType}\n${headerByteString(i.date)}\n${ossHeaders}${i.canonicalizedResource}`;
}

export function v1Signature(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(byteStringBytes(stringToSign)).digest('base64');
}
