// Pieces several OSS documents share: the writer, owners, regions as OSS names them, and the
// fixed ACL.
import { DEFAULT_REGION } from '../s3/index.ts';
import { writeOwner } from '../s3/xml-fragments.ts';
import { XmlWriter } from '../s3/xml-writer.ts';

// The S3 writer's numeric references to characters XML 1.0 forbids. CR (allowed) stays a
// reference so parsers do not turn it into LF, and so do unpaired surrogates, which UTF-8
// cannot carry. Only the writer makes `&#x`: a literal `&#x1;` in text is written `&amp;#x1;`.
const FORBIDDEN_CHARACTER_REFERENCE = /&#x([0-9A-F]{1,6});/g;

/**
 * The S3 writer, except that characters XML 1.0 forbids (C0 controls, U+FFFE/U+FFFF) are
 * written as themselves, not as numeric references. No strict XML parser reads either form,
 * but ali-oss's parser (sax) reads the raw characters and refuses the references, so raw is
 * what lets OSS's own SDK list such keys; other clients ask for encoding-type=url, as OSS
 * tells them to.
 */
class OssXmlWriter extends XmlWriter {
  override toString(): string {
    return super.toString().replace(FORBIDDEN_CHARACTER_REFERENCE, (ref, hex: string) => {
      const cp = parseInt(hex, 16);
      return cp === 0xd || (cp >= 0xd800 && cp <= 0xdfff) ? ref : String.fromCodePoint(cp);
    });
  }
}

/** A document in OSS's form: the S3 writer's escaping (as above), no namespace. */
export function ossDocument(root: string): XmlWriter {
  return new OssXmlWriter().start(root);
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
