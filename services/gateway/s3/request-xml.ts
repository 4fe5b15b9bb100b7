// Safe parsing of request-body XML. Bodies come from clients, so before fast-xml-parser sees
// one it must be valid UTF-8, carry no DOCTYPE (no entity definitions: no XXE, no billion
// laughs) and use only XML's five named entities and numeric references to legal characters.
// Everything that fails any check is MalformedXML, the one answer S3 gives for all of them.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { StoreError } from '../errors/store-error.ts';

/** A parsed element: text, or children by name (repeated names as arrays). */
export type XmlValue = string | XmlElement;
export interface XmlElement {
  readonly [name: string]: XmlValue | readonly XmlValue[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// Only comments and CDATA may start with '<!'.
const MARKUP_DECLARATION = /<!(?!--|\[CDATA\[)/;
const CDATA_OR_COMMENT = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g;
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/y;
const TRAILER = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g;
const ENDS_WITH_CLOSE = /(<\/[^<>]+>|\/>)$/;

export function malformedXml(): StoreError {
  return new StoreError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
}

/**
 * The root element `root` of a request body, or undefined for an empty (or all-whitespace)
 * body, which some operations allow. `arrays` names the elements that may repeat, so one and
 * many both come back as arrays. Values stay strings (no number parsing) and are untrimmed:
 * keys may begin or end with spaces.
 */
export function parseRequestXml(body: Uint8Array | string, root: string, arrays: readonly string[]): XmlElement | undefined {
  let text: string;
  try {
    text = typeof body === 'string' ? body : utf8.decode(body);
  } catch {
    throw malformedXml();
  }
  if (text.trim() === '') return undefined;
  checkMarkup(text);

  let parsed: Record<string, unknown>;
  try {
    if (XMLValidator.validate(text) !== true) throw malformedXml();
    parsed = parser(arrays).parse(text) as Record<string, unknown>;
  } catch {
    throw malformedXml();
  }
  const names = Object.keys(parsed);
  if (names.length !== 1 || names[0] !== root) throw malformedXml();
  const value = parsed[root];
  if (typeof value === 'string' && value.trim() === '') return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformedXml();
  return value as XmlElement;
}

function parser(arrays: readonly string[]): XMLParser {
  return new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Entity definitions are refused above; what remains are the five XML entities and
    // numeric references, which htmlEntities is what makes the parser decode.
    processEntities: true,
    htmlEntities: true,
    isArray: (name) => arrays.includes(name),
  });
}

function checkMarkup(text: string): void {
  const outside = text.replace(CDATA_OR_COMMENT, '');
  if (MARKUP_DECLARATION.test(outside)) throw malformedXml();
  for (let i = outside.indexOf('&'); i >= 0; i = outside.indexOf('&', i + 1)) {
    REFERENCE.lastIndex = i;
    const m = REFERENCE.exec(outside);
    if (!m) throw malformedXml();
    if (m[1] === undefined && !isXmlChar(m[2] !== undefined ? Number(m[2]) : parseInt(m[3]!, 16))) throw malformedXml();
  }
  // The validator accepts text after the root element; XML does not.
  const end = outside.replace(TRAILER, '').trimEnd();
  if (!ENDS_WITH_CLOSE.test(end)) throw malformedXml();
}

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff)
    || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** The text of a leaf element; MalformedXML when it has element children or repeats. */
export function textOf(value: XmlValue | readonly XmlValue[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) throw malformedXml();
  const element = value as XmlElement;
  const names = Object.keys(element);
  if (names.length === 0) return '';
  if (names.length === 1 && names[0] === '#text') return element['#text'] as string;
  throw malformedXml();
}

/** Repeated child elements (declared in `arrays`) as element objects. */
export function elementsOf(value: XmlValue | readonly XmlValue[] | undefined): XmlElement[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v: XmlValue) => {
    if (typeof v === 'string' && v.trim() === '') return {};
    if (typeof v !== 'object') throw malformedXml();
    return v;
  });
}
