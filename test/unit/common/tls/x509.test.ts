import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { integer, namedBits, oid, time } from '../../../../services/common/tls/der.ts';
import { createClusterCa, issueCertificate, issueInternalCertificate, INTERNAL_TLS_NAME } from '../../../../services/common/tls/cluster-ca.ts';

const now = new Date('2026-12-07T12:00:00Z');
const OPENSSL = '/usr/bin/openssl';

test('DER: integers are minimal two\'s complement, positive', () => {
  assert.equal(integer(0).toString('hex'), '020100');
  assert.equal(integer(127).toString('hex'), '02017f');
  assert.equal(integer(128).toString('hex'), '02020080');
  assert.equal(integer(256).toString('hex'), '02020100');
  assert.equal(integer(Buffer.from([0, 0, 1])).toString('hex'), '020101');
});

test('DER: OIDs, named bit strings and times', () => {
  assert.equal(oid('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302');
  assert.equal(oid('2.5.29.19').toString('hex'), '0603551d13');
  // digitalSignature, keyCertSign, cRLSign: bits 0, 5, 6 → 0x86 with one unused bit
  assert.equal(namedBits([0, 5, 6]).toString('hex'), '03020186');
  assert.equal(namedBits([0]).toString('hex'), '03020780');
  assert.equal(time(new Date('2026-01-02T03:04:05Z')).subarray(2).toString('ascii'), '260102030405Z');
  assert.equal(time(new Date('2050-01-02T03:04:05Z')).subarray(2).toString('ascii'), '20500102030405Z');
});

test('cluster CA: self-signed, a CA, verifies with its own key', () => {
  const ca = createClusterCa({ now });
  const cert = new X509Certificate(ca.certPem);
  assert.equal(cert.ca, true);
  assert.ok(cert.verify(createPublicKey(createPrivateKey(ca.keyPem))));
  assert.ok(cert.checkIssued(cert));
  assert.match(cert.subject, /CN=zonestore cluster CA/);
  assert.ok(new Date(cert.validTo).getTime() > now.getTime() + 3_000 * 86_400_000);
});

test('server certificate: issued by the CA, names DNS and IP SANs, serverAuth', () => {
  const ca = createClusterCa({ now });
  const other = createClusterCa({ now });
  const gw = issueCertificate(ca, {
    commonName: 'gateway', subjectAltNames: ['localhost', '127.0.0.1', '127.0.0.11', '::1'], usages: ['serverAuth'], now,
  });
  const cert = new X509Certificate(gw.certPem);
  const caCert = new X509Certificate(ca.certPem);
  assert.equal(cert.ca, false);
  assert.ok(cert.verify(caCert.publicKey));
  assert.equal(cert.verify(new X509Certificate(other.certPem).publicKey), false);
  assert.ok(cert.checkIssued(caCert));
  assert.equal(cert.checkHost('localhost'), 'localhost');
  assert.equal(cert.checkHost('example.com'), undefined);
  assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(cert.checkIP('127.0.0.11'), '127.0.0.11');
  assert.equal(cert.checkIP('::1'), '::1');
  assert.equal(cert.checkIP('10.0.0.1'), undefined);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  assert.ok(cert.checkPrivateKey(createPrivateKey(gw.keyPem)));
  assert.equal(gw.caPem, ca.certPem);
});

test('internal certificate: server and client auth, the internal name', () => {
  const ca = createClusterCa({ now });
  const m = issueInternalCertificate(ca, { commonName: 'zone-1', addresses: ['127.0.0.11'], now });
  const cert = new X509Certificate(m.certPem);
  assert.ok(cert.verify(new X509Certificate(ca.certPem).publicKey));
  assert.equal(cert.checkHost(INTERNAL_TLS_NAME), INTERNAL_TLS_NAME);
  assert.deepEqual([...(cert.keyUsage ?? [])].sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
});

test(`openssl verify -CAfile accepts the chain${existsSync(OPENSSL) ? '' : ' (SKIPPED: no /usr/bin/openssl)'}`, { skip: !existsSync(OPENSSL) }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'x509-'));
  try {
    const ca = createClusterCa({ now: new Date() });
    const other = createClusterCa({ now: new Date() });
    const gw = issueCertificate(ca, { commonName: 'gw', subjectAltNames: ['localhost', '127.0.0.1'], usages: ['serverAuth'], now: new Date() });
    const internal = issueInternalCertificate(ca, { commonName: 'zone-1', now: new Date() });
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(join(dir, 'other.pem'), other.certPem);
    writeFileSync(join(dir, 'gw.pem'), gw.certPem);
    writeFileSync(join(dir, 'internal.pem'), internal.certPem);
    const out = execFileSync(OPENSSL, ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', join(dir, 'ca.pem'), join(dir, 'gw.pem')], { encoding: 'utf8' });
    assert.match(out, /gw\.pem: OK/);
    const out2 = execFileSync(OPENSSL, ['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', join(dir, 'ca.pem'), join(dir, 'internal.pem')], { encoding: 'utf8' });
    assert.match(out2, /internal\.pem: OK/);
    assert.throws(() => execFileSync(OPENSSL, ['verify', '-CAfile', join(dir, 'other.pem'), join(dir, 'gw.pem')], { stdio: 'pipe' }));
    const text = execFileSync(OPENSSL, ['x509', '-noout', '-text', '-in', join(dir, 'gw.pem')], { encoding: 'utf8' });
    assert.match(text, /DNS:localhost, IP Address:127\.0\.0\.1/);
    assert.match(text, /X509v3 Authority Key Identifier/);
    assert.match(text, /ecdsa-with-SHA256/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
