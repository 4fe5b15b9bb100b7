// An X.509 v3 certificate builder on node:crypto: EC P-256 keys, ECDSA-SHA256 signatures, and
// the extensions a cluster CA and its leaf certificates need (RFC 5280). Pure: keys in, PEM out,
// no file I/O (tls-files.ts writes them).
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString, boolean, explicit, implicitPrimitive, integer, namedBits, octetString, oid, sequence, set,
  time, toPem, utf8String, ia5String,
} from './der.ts';

export const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** keyUsage bit numbers (RFC 5280 §4.2.1.3). */
export const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

/** Random serial numbers are this many bytes (RFC 5280 allows up to 20). */
export const SERIAL_BYTES = 16;
/** notBefore is backdated by this much so clocks a little behind still accept a new certificate. */
export const BACKDATE_MS = 5 * 60_000;

export type ExtKeyUsage = 'serverAuth' | 'clientAuth';

export interface DistinguishedName {
  commonName: string;
  organization?: string;
}

export interface CertificateSpec {
  subject: DistinguishedName;
  /** The key being certified. */
  publicKey: KeyObject;
  /** Who signs: the CA's name and private key; absent means self-signed with `selfKey`. */
  issuer?: { name: DistinguishedName; privateKey: KeyObject; publicKey: KeyObject };
  /** Private key of a self-signed certificate (the CA). */
  selfKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  extKeyUsage?: readonly ExtKeyUsage[];
  /** DNS names and IP addresses (v4 or v6), told apart by node:net isIP. */
  subjectAltNames?: readonly string[];
  /** Fixed serial (tests); random otherwise. */
  serial?: Uint8Array;
}

function name(dn: DistinguishedName): Buffer {
  const rdn = (type: string, value: string): Buffer => set(sequence(oid(type), utf8String(value)));
  const parts = [];
  if (dn.organization !== undefined) parts.push(rdn(OID.organization, dn.organization));
  parts.push(rdn(OID.commonName, dn.commonName));
  return sequence(...parts);
}

/** SHA-1 of the subjectPublicKey BIT STRING contents (RFC 5280 §4.2.1.2 method 1). */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // For an EC P-256 SPKI the key is the uncompressed point, the last 65 bytes.
  const point = spki.subarray(spki.length - 65);
  return createHash('sha1').update(point).digest();
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand '::' and write eight 16-bit groups.
  const [head, tail] = ip.includes('::') ? ip.split('::') as [string, string] : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

function extensions(spec: CertificateSpec, issuerKey: KeyObject): Buffer {
  const exts = [
    extension(OID.basicConstraints, true, spec.isCa ? sequence(boolean(true), integer(0)) : sequence()),
    extension(OID.keyUsage, true, namedBits(spec.isCa
      ? [KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]
      : [KEY_USAGE.digitalSignature])),
  ];
  if (spec.extKeyUsage && spec.extKeyUsage.length > 0) {
    exts.push(extension(OID.extKeyUsage, false, sequence(...spec.extKeyUsage.map((u) => oid(OID[u])))));
  }
  if (spec.subjectAltNames && spec.subjectAltNames.length > 0) {
    const names = spec.subjectAltNames.map((n) => (isIP(n)
      ? implicitPrimitive(7, ipBytes(n))
      : implicitPrimitive(2, ia5String(n).subarray(2))));
    exts.push(extension(OID.subjectAltName, false, sequence(...names)));
  }
  exts.push(extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(spec.publicKey))));
  exts.push(extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, keyIdentifier(issuerKey)))));
  return explicit(3, sequence(...exts));
}

function randomSerial(): Buffer {
  const s = randomBytes(SERIAL_BYTES);
  s[0] = (s[0]! & 0x7f) | 0x01; // positive, and no leading zero byte to strip
  return s;
}

/** The DER bytes of a signed certificate. */
export function buildCertificateDer(spec: CertificateSpec): Buffer {
  const signer = spec.issuer?.privateKey ?? spec.selfKey;
  if (!signer) throw new Error('a certificate needs an issuer or, self-signed, its own private key');
  const issuerName = spec.issuer?.name ?? spec.subject;
  const issuerPublic = spec.issuer?.publicKey ?? spec.publicKey;
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integer(spec.serial ?? randomSerial()),
    algorithm,
    name(issuerName),
    sequence(time(spec.notBefore), time(spec.notAfter)),
    name(spec.subject),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    extensions(spec, issuerPublic),
  );
  const signature = sign('sha256', tbs, { key: signer, dsaEncoding: 'der' });
  return sequence(tbs, algorithm, bitString(signature));
}

export function buildCertificatePem(spec: CertificateSpec): string {
  return toPem('CERTIFICATE', buildCertificateDer(spec));
}

export function generateEcKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

export function privateKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}
