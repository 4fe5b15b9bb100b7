// A small streaming-order XML writer for S3 documents: elements are written in call order,
// text is always escaped, and nothing is built as a tree first (listings run to 1000 entries).

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

// &, <, >, quotes, CR (a literal CR would be normalised to LF by every XML parser), and the
// characters XML 1.0 cannot contain: C0 controls other than TAB/LF/CR, U+FFFE/U+FFFF and
// unpaired surrogates.
const NEEDS_ESCAPE = /[&<>"'\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes text for element content or attribute values. Characters XML 1.0 forbids are
 * written as numeric references (`&#x1;`), as Amazon S3 does: strict parsers refuse them,
 * which is why S3 clients ask for encoding-type=url when keys may hold them, but lenient ones
 * (the AWS SDKs' own, fast-xml-parser) decode them back to the exact key — better than
 * silently naming a different object.
 */
export function escapeXml(text: string): string {
  NEEDS_ESCAPE.lastIndex = 0;
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(NEEDS_ESCAPE, (c) => NAMED[c] ?? `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`);
}

export class XmlWriter {
  private readonly parts: string[] = [XML_DECLARATION];
  private readonly open: string[] = [];

  /** Opens the document's root element, in the S3 namespace unless told otherwise. */
  static document(root: string, xmlns: string | null = S3_XMLNS): XmlWriter {
    const w = new XmlWriter();
    w.start(root, xmlns === null ? undefined : { xmlns });
    return w;
  }

  start(name: string, attrs?: Readonly<Record<string, string>>): this {
    let tag = `<${name}`;
    for (const [k, v] of Object.entries(attrs ?? {})) tag += ` ${k}="${escapeXml(v)}"`;
    this.parts.push(`${tag}>`);
    this.open.push(name);
    return this;
  }

  end(): this {
    const name = this.open.pop();
    if (name === undefined) throw new Error('XmlWriter: end() without an open element');
    this.parts.push(`</${name}>`);
    return this;
  }

  /** `<name>text</name>`; numbers, booleans and bigints as their decimal text. */
  leaf(name: string, value: string | number | bigint | boolean): this {
    this.parts.push(`<${name}>${escapeXml(String(value))}</${name}>`);
    return this;
  }

  /** Escaped character data inside the current element. */
  text(value: string): this {
    this.parts.push(escapeXml(value));
    return this;
  }

  /** A leaf only when the value is present (not undefined). */
  optional(name: string, value: string | number | bigint | boolean | undefined): this {
    return value === undefined ? this : this.leaf(name, value);
  }

  /** A leaf only when the value is a non-empty string. */
  nonEmpty(name: string, value: string | undefined): this {
    return value === undefined || value === '' ? this : this.leaf(name, value);
  }

  /** Closes whatever is still open and returns the document. */
  toString(): string {
    while (this.open.length > 0) this.end();
    return this.parts.join('');
  }
}
