// ETag comparison and the multipart ETag, as S3 computes them.
import { createHash } from 'node:crypto';

/** Stored form: no quotes, no weak prefix, lowercase hex stays as given. */
export function normalizeEtag(etag: string): string {
  let e = etag.trim();
  if (e.startsWith('W/')) e = e.slice(2);
  if (e.length >= 2 && e.startsWith('"') && e.endsWith('"')) e = e.slice(1, -1);
  return e;
}

/** True when `header` (an If-Match / If-None-Match value, maybe a list) names `etag` or is "*". */
export function etagListMatches(header: string, etag: string): boolean {
  const want = normalizeEtag(etag);
  return header.split(',').some((h) => {
    const t = h.trim();
    return t === '*' || normalizeEtag(t) === want;
  });
}

const MD5_HEX = /^[0-9a-f]{32}$/;

/**
 * MD5 of the concatenated binary MD5s of the parts, "-" and the part count. A part ETag that is
 * not a plain MD5 (e.g. of an encrypted part) contributes the MD5 of its text instead.
 */
export function multipartEtag(partEtags: string[]): string {
  const h = createHash('md5');
  for (const raw of partEtags) {
    const e = normalizeEtag(raw).toLowerCase();
    h.update(MD5_HEX.test(e) ? Buffer.from(e, 'hex') : createHash('md5').update(e).digest());
  }
  return `${h.digest('hex')}-${partEtags.length}`;
}
