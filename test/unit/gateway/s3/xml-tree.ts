// Test helper: an XML document as an ordered element tree (fast-xml-parser, preserveOrder),
// so tests can check element names, order and decoded text.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlTreeNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlTreeNode[];
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false,
  trimValues: false, processEntities: true, htmlEntities: true,
});

type Ordered = Array<Record<string, unknown>>;

function convert(items: Ordered): { children: XmlTreeNode[]; text: string } {
  const children: XmlTreeNode[] = [];
  let text = '';
  for (const item of items) {
    for (const [k, v] of Object.entries(item)) {
      if (k === ':@') continue;
      if (k === '#text') { text += String(v); continue; }
      if (k === '?xml') continue;
      const inner = convert(v as Ordered);
      children.push({ name: k, attrs: (item[':@'] as Record<string, string>) ?? {}, children: inner.children, text: inner.text });
    }
  }
  return { children, text };
}

/** The root element; throws when the document is not well-formed. */
export function xmlTree(xml: string): XmlTreeNode {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed: ${JSON.stringify(valid)}`);
  const { children } = convert(parser.parse(xml) as Ordered);
  if (children.length !== 1) throw new Error(`expected one root, got ${children.length}`);
  return children[0]!;
}

export function childNames(node: XmlTreeNode): string[] {
  return node.children.map((c) => c.name);
}

export function child(node: XmlTreeNode, name: string): XmlTreeNode {
  const c = node.children.find((n) => n.name === name);
  if (!c) throw new Error(`no <${name}> in <${node.name}>: ${childNames(node).join(', ')}`);
  return c;
}

export function childText(node: XmlTreeNode, name: string): string {
  return child(node, name).text;
}

export function all(node: XmlTreeNode, name: string): XmlTreeNode[] {
  return node.children.filter((n) => n.name === name);
}
