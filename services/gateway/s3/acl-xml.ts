// AccessControlPolicy documents: GetBucketAcl / GetObjectAcl answers and PutBucketAcl /
// PutObjectAcl bodies. Grantees are accounts (CanonicalUser, by ID) or groups (by URI); the
// codec keeps URIs as sent and leaves their meaning to the authorization core.
import { StoreError } from '../errors/store-error.ts';
import { elementsOf, malformedXml, parseRequestXml, textOf } from './request-xml.ts';
import { writeOwner } from './xml-fragments.ts';
import { XmlWriter } from './xml-writer.ts';

export interface AclDocumentGrant {
  readonly grantee: { readonly type: 'CanonicalUser'; readonly id: string } | { readonly type: 'Group'; readonly uri: string };
  readonly permission: string;
}

export interface AclDocument {
  readonly owner: string;
  readonly grants: readonly AclDocumentGrant[];
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const PERMISSIONS: ReadonlySet<string> = new Set(['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL']);

/**
 * `acl` as a bare owner id is the owner's FULL_CONTROL alone (a private ACL). `o.cannedName`
 * is for dialects that answer with a canned name (OSS); S3 lists the grants.
 */
export function renderAccessControlPolicy(acl: AclDocument | string, o: { cannedName?: string } = {}): string {
  void o;
  const doc: AclDocument = typeof acl === 'string'
    ? { owner: acl, grants: [{ grantee: { type: 'CanonicalUser', id: acl }, permission: 'FULL_CONTROL' }] }
    : acl;
  const w = XmlWriter.document('AccessControlPolicy');
  writeOwner(w, doc.owner);
  w.start('AccessControlList');
  for (const g of doc.grants) {
    w.start('Grant');
    if (g.grantee.type === 'CanonicalUser') {
      w.start('Grantee', { 'xmlns:xsi': XSI, 'xsi:type': 'CanonicalUser' }).leaf('ID', g.grantee.id).leaf('DisplayName', g.grantee.id).end();
    } else {
      w.start('Grantee', { 'xmlns:xsi': XSI, 'xsi:type': 'Group' }).leaf('URI', g.grantee.uri).end();
    }
    w.leaf('Permission', g.permission).end();
  }
  w.end();
  return w.toString();
}

/** A PutBucketAcl / PutObjectAcl body. MalformedACLError-like refusals are MalformedXML / InvalidArgument. */
export function parseAccessControlPolicy(body: Uint8Array | string): AclDocument {
  const root = parseRequestXml(body, 'AccessControlPolicy', ['Grant']);
  if (root === undefined) throw new StoreError('MissingRequestBodyError', 'Request Body is empty');
  const [owner] = elementsOf(root['Owner']);
  const ownerId = owner === undefined ? '' : textOf(owner['ID'])?.trim() ?? '';
  const [list] = elementsOf(root['AccessControlList']);
  const grants: AclDocumentGrant[] = [];
  for (const g of elementsOf(list?.['Grant'])) {
    const permission = textOf(g['Permission'])?.trim() ?? '';
    if (!PERMISSIONS.has(permission)) throw malformedXml();
    const [grantee] = elementsOf(g['Grantee']);
    if (grantee === undefined) throw malformedXml();
    const id = textOf(grantee['ID'])?.trim();
    const uri = textOf(grantee['URI'])?.trim();
    if (grantee['EmailAddress'] !== undefined) {
      throw new StoreError('InvalidArgument', 'Grantees by e-mail address are not supported', { ArgumentName: 'EmailAddress' });
    }
    if (id) grants.push({ grantee: { type: 'CanonicalUser', id }, permission });
    else if (uri) grants.push({ grantee: { type: 'Group', uri }, permission });
    else throw malformedXml();
  }
  return { owner: ownerId, grants };
}
