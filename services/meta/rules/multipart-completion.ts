// Whether a CompleteMultipartUpload request may complete: parts named in strictly ascending
// order, each uploaded with the ETag given, every part but the last at least the minimum size.
import { MAX_PART_NUMBER } from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import { normalizeEtag } from './etag.ts';

export interface RequestedPart {
  partNumber: number;
  etag: string;
}

export interface StoredPartFacts {
  size: bigint;
  etag: string;
}

export function checkCompletion(
  requested: RequestedPart[],
  stored: ReadonlyMap<number, StoredPartFacts>,
  minPartSize: bigint,
  where: Record<string, string>,
): void {
  if (requested.length === 0) {
    throw new MetaError('MalformedXML', 'a multipart upload must be completed with at least one part', where);
  }
  if (requested.length > MAX_PART_NUMBER) {
    throw new MetaError('MalformedXML', `more than ${MAX_PART_NUMBER} parts`, where);
  }
  let prev = 0;
  for (const r of requested) {
    if (r.partNumber <= prev) {
      throw new MetaError('InvalidPartOrder', 'the list of parts was not in ascending order', { ...where, partNumber: String(r.partNumber) });
    }
    prev = r.partNumber;
  }
  requested.forEach((r, i) => {
    const s = stored.get(r.partNumber);
    if (!s || normalizeEtag(s.etag) !== normalizeEtag(r.etag)) {
      throw new MetaError('InvalidPart', `part ${r.partNumber} was not uploaded or its ETag differs`, { ...where, partNumber: String(r.partNumber) });
    }
    if (i < requested.length - 1 && s.size < minPartSize) {
      throw new MetaError('EntityTooSmall', `part ${r.partNumber} is ${s.size} bytes; every part but the last must be at least ${minPartSize}`,
        { ...where, partNumber: String(r.partNumber), minSizeAllowed: String(minPartSize), proposedSize: String(s.size) });
    }
  });
}
