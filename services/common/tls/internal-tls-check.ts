// Checks a process's internal TLS material before it is installed: a certificate the peers will
// refuse (another CA, a key of another certificate, no zonestore.internal name, expired, server-
// or client-only) otherwise shows up only as handshake failures in the *other* processes' logs.
// Pure: PEM strings and the clock in, the problems (one sentence each) out.
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { INTERNAL_TLS_NAME, type TlsMaterial } from './cluster-ca.ts';

/** OIDs of the extended key usages an internal certificate needs: it serves and it dials. */
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

function parse(pem: string, what: string, problems: string[]): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    problems.push(`${what} is not a PEM certificate (${(err as Error).message})`);
    return undefined;
  }
}

export function internalTlsProblems(m: TlsMaterial, now: Date = new Date()): string[] {
  const problems: string[] = [];
  const ca = parse(m.caPem, 'the CA file', problems);
  const cert = parse(m.certPem, 'the certificate file', problems);
  let keyMatches: boolean | undefined;
  try {
    const key = createPrivateKey(m.keyPem);
    if (cert) keyMatches = cert.checkPrivateKey(key);
    // The public half of a key of the wrong kind makes checkPrivateKey throw on some versions.
    void createPublicKey(key);
  } catch (err) {
    problems.push(`the key file is not a PEM private key (${(err as Error).message})`);
  }
  if (!ca || !cert) return problems;
  if (!ca.ca) problems.push(`the CA file holds a certificate that is not a CA (${ca.subject.replace(/\n/g, ', ')})`);
  if (keyMatches === false) problems.push('the key file is not the key of the certificate');
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) {
    problems.push(`the certificate (issuer ${cert.issuer.replace(/\n/g, ', ')}) is not signed by the CA (${ca.subject.replace(/\n/g, ', ')})`);
  }
  if (cert.checkHost(INTERNAL_TLS_NAME) === undefined) {
    problems.push(`the certificate does not name ${INTERNAL_TLS_NAME} (subjectAltName ${cert.subjectAltName ?? 'none'}); peers check that name`);
  }
  const usages = cert.keyUsage;
  if (usages !== undefined && !(usages.includes(SERVER_AUTH) && usages.includes(CLIENT_AUTH))) {
    problems.push('the certificate\'s extendedKeyUsage lacks serverAuth or clientAuth; an internal certificate needs both');
  }
  for (const [c, what] of [[ca, 'the CA'], [cert, 'the certificate']] as const) {
    if (now < new Date(c.validFrom)) problems.push(`${what} is not valid before ${c.validFrom}`);
    if (now > new Date(c.validTo)) problems.push(`${what} expired on ${c.validTo}`);
  }
  return problems;
}
