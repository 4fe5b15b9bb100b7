// The cluster CA and the certificates it issues. Pure: PEM strings in and out, the clock passed
// in; tls-files.ts keeps them on disk.
//
//   const ca = createClusterCa({ now: new Date() });
//   const gw = issueCertificate(ca, { commonName: 'gateway', subjectAltNames: ['localhost', '127.0.0.1'], usages: ['serverAuth'], now });
//   const internal = issueCertificate(ca, { commonName: 'zone-1', subjectAltNames: [INTERNAL_TLS_NAME], usages: ['serverAuth', 'clientAuth'], now });
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { BACKDATE_MS, buildCertificatePem, generateEcKey, privateKeyPem, type ExtKeyUsage } from './x509.ts';

export const CA_VALIDITY_DAYS = 3_650;
export const LEAF_VALIDITY_DAYS = 825;
const DAY_MS = 86_400_000;

/**
 * The name every internal (gRPC) certificate carries and every internal client checks, whatever
 * address it dials (grpc.ssl_target_name_override): pod and zone IPs need not be known when a
 * certificate is issued; what is checked is that the peer holds a certificate of this cluster's CA.
 */
export const INTERNAL_TLS_NAME = 'zonestore.internal';
export const CLUSTER_ORGANIZATION = 'zonestore';

export interface CaMaterial {
  certPem: string;
  keyPem: string;
}

/** What one process needs for TLS: the CA to trust, its own certificate chain and key. */
export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export function createClusterCa(o: { now: Date; commonName?: string; validityDays?: number }): CaMaterial {
  const { privateKey, publicKey } = generateEcKey();
  const certPem = buildCertificatePem({
    subject: { commonName: o.commonName ?? 'zonestore cluster CA', organization: CLUSTER_ORGANIZATION },
    publicKey, selfKey: privateKey, isCa: true,
    notBefore: new Date(o.now.getTime() - BACKDATE_MS),
    notAfter: new Date(o.now.getTime() + (o.validityDays ?? CA_VALIDITY_DAYS) * DAY_MS),
  });
  return { certPem, keyPem: privateKeyPem(privateKey) };
}

export interface IssueOptions {
  commonName: string;
  subjectAltNames: readonly string[];
  usages: readonly ExtKeyUsage[];
  now: Date;
  validityDays?: number;
}

export function issueCertificate(ca: CaMaterial, o: IssueOptions): TlsMaterial {
  const caKey = createPrivateKey(ca.keyPem);
  const caCert = new X509Certificate(ca.certPem);
  const { privateKey, publicKey } = generateEcKey();
  const certPem = buildCertificatePem({
    subject: { commonName: o.commonName, organization: CLUSTER_ORGANIZATION },
    publicKey,
    issuer: { name: { commonName: commonNameOf(caCert), organization: CLUSTER_ORGANIZATION }, privateKey: caKey, publicKey: createPublicKey(caKey) },
    isCa: false, extKeyUsage: o.usages, subjectAltNames: o.subjectAltNames,
    notBefore: new Date(o.now.getTime() - BACKDATE_MS),
    notAfter: new Date(o.now.getTime() + (o.validityDays ?? LEAF_VALIDITY_DAYS) * DAY_MS),
  });
  return { caPem: ca.certPem, certPem, keyPem: privateKeyPem(privateKey) };
}

/** An internal certificate: server and client, named INTERNAL_TLS_NAME plus any addresses given. */
export function issueInternalCertificate(ca: CaMaterial, o: { commonName: string; addresses?: readonly string[]; now: Date }): TlsMaterial {
  return issueCertificate(ca, {
    commonName: o.commonName, subjectAltNames: [INTERNAL_TLS_NAME, ...(o.addresses ?? [])],
    usages: ['serverAuth', 'clientAuth'], now: o.now,
  });
}

function commonNameOf(cert: X509Certificate): string {
  const m = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject);
  if (!m) throw new Error('CA certificate has no CN');
  return m[1]!;
}
