// Pieces several S3 documents share: owners, checksum elements, and the key encoder that
// encoding-type=url switches on.
import { checksumElementName, s3Checksums } from './checksum-names.ts';
import { type EncodingType, parseEncodingType } from './query-params.ts';
import { s3UrlEncode } from './s3-url-encoding.ts';
import type { XmlWriter } from './xml-writer.ts';

/**
 * `<Owner>` (or `<Initiator>`): zonestore principals have one name, used as both the canonical
 * ID and the display name.
 */
export function writeOwner(w: XmlWriter, principal: string, element = 'Owner'): void {
  w.start(element).leaf('ID', principal).leaf('DisplayName', principal).end();
}

/** Checksum<ALG> elements for the S3-named checksums of a stored map. */
export function writeChecksums(w: XmlWriter, checksums: Readonly<Record<string, string>> | undefined): void {
  for (const [alg, value] of s3Checksums(checksums ?? {})) w.leaf(checksumElementName(alg), value);
}

export type KeyEncoder = (text: string) => string;

const identity: KeyEncoder = (text) => text;

/**
 * The encoder for keys, prefixes, delimiters and markers of a listing. Takes the raw
 * `encoding-type` query value, so an unknown one fails here too (InvalidArgument).
 */
export function keyEncoder(encodingType: string | undefined): { encode: KeyEncoder; encodingType?: EncodingType } {
  const type = parseEncodingType(encodingType);
  return type === 'url' ? { encode: s3UrlEncode, encodingType: type } : { encode: identity };
}
