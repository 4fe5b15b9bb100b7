// Pieces several OSS documents share: the writer (OSS documents carry no namespace), owners,
// regions as OSS names them, and the fixed ACL.
import { DEFAULT_REGION } from '../s3/index.ts';
import { writeOwner } from '../s3/xml-fragments.ts';
import { XmlWriter } from '../s3/xml-writer.ts';

export function ossDocument(root: string): XmlWriter {
  return XmlWriter.document(root, null);
}

/** `<Owner>` (or `<Initiator>`): one name serves as both ID and DisplayName, as in the S3 documents. */
export function writeOssOwner(w: XmlWriter, principal: string, element = 'Owner'): void {
  writeOwner(w, principal, element);
}

/** OSS names a region twice: `cn-hangzhou` (Region) and `oss-cn-hangzhou` (Location). */
export function ossRegionId(region: string | undefined): string {
  const r = region || DEFAULT_REGION;
  return r.startsWith('oss-') ? r.slice(4) : r;
}

export function ossLocation(region: string | undefined): string {
  return `oss-${ossRegionId(region)}`;
}

/** Until ACLs exist every bucket and object is private to its owner. */
export const FIXED_ACL = 'private';
