// The roles' internal TLS material and KMS root key file: what is accepted, and that everything
// else is a startup error saying what is wrong (checked on certificates made here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import {
  createClusterCa, internalTlsProblems, issueCertificate, issueInternalCertificate, type TlsMaterial,
} from '../../../services/common/tls/index.ts';
import {
  addInternalTlsOptions, applyInsecureInternalEnv, internalTlsSchema, resolveInternalTls,
} from '../../../services/cli/roles/internal-tls-config.ts';
import { addCommonRoleOptions, commonRoleSchema, mergedOptions, parseRoleConfig } from '../../../services/cli/roles/role-config.ts';
import { parseKmsRootKey } from '../../../services/kms/root-key-file.ts';

const now = new Date();
const ca = createClusterCa({ now });
const good = issueInternalCertificate(ca, { commonName: 'meta-1', now });

test('an internal certificate of the CA, with its key, passes', () => {
  assert.deepEqual(internalTlsProblems(good), []);
});

test('another CA, another key, a gateway-only certificate, an expired one: each problem named', () => {
  const other = createClusterCa({ now });
  const foreign = issueInternalCertificate(other, { commonName: 'intruder', now });
  assert.match(internalTlsProblems({ ...foreign, caPem: ca.certPem }).join('\n'), /is not signed by the CA/);
  assert.match(internalTlsProblems({ ...good, keyPem: foreign.keyPem }).join('\n'), /not the key of the certificate/);
  const gateway = issueCertificate(ca, { commonName: 'gw', subjectAltNames: ['localhost'], usages: ['serverAuth'], now });
  const p = internalTlsProblems(gateway).join('\n');
  assert.match(p, /does not name zonestore\.internal/);
  assert.match(p, /lacks serverAuth or clientAuth/);
  const old = new Date(now.getTime() - 3 * 86_400_000);
  const expired = issueCertificate(ca, { commonName: 'old', subjectAltNames: ['zonestore.internal'], usages: ['serverAuth', 'clientAuth'], now: old, validityDays: 1 });
  assert.match(internalTlsProblems(expired).join('\n'), /the certificate expired on/);
  assert.match(internalTlsProblems({ ...good, caPem: good.certPem }).join('\n'), /not a CA/);
  assert.match(internalTlsProblems({ ...good, keyPem: 'nonsense' }).join('\n'), /not a PEM private key/);
});

function withFiles<T>(m: TlsMaterial, fn: (f: { tlsCa: string; tlsCert: string; tlsKey: string }) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'zs-role-tls-'));
  try {
    const f = { tlsCa: join(dir, 'ca.pem'), tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') };
    writeFileSync(f.tlsCa, m.caPem);
    writeFileSync(f.tlsCert, m.certPem);
    writeFileSync(f.tlsKey, m.keyPem);
    return fn(f);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a role without internal TLS material refuses to start unless --insecure-internal says so', () => {
  assert.throws(() => resolveInternalTls({}), /internal gRPC needs mutual TLS: give --tls-ca, --tls-cert and --tls-key .*or --insecure-internal \(ZONESTORE_INSECURE_INTERNAL=true\)/s);
  assert.equal(resolveInternalTls({ insecureInternal: true }), null);
  assert.throws(() => resolveInternalTls({ tlsCa: '/x', tlsCert: '/y' }), /needs all three .* 2 given/);
  assert.throws(() => resolveInternalTls({ tlsCa: '/nope/ca', tlsCert: '/nope/c', tlsKey: '/nope/k' }), /cannot read the internal TLS material: ENOENT/);
  withFiles(good, (f) => {
    assert.equal(resolveInternalTls(f)?.certPem, good.certPem);
    assert.throws(() => resolveInternalTls({ ...f, insecureInternal: true }), /contradicts/);
  });
  const foreign = issueInternalCertificate(createClusterCa({ now }), { commonName: 'x', now });
  withFiles({ ...foreign, caPem: ca.certPem }, (f) => assert.throws(() => resolveInternalTls(f), /will not work:\n {2}the certificate .* is not signed by the CA/));
});

function parse(argv: string[], env: NodeJS.ProcessEnv, file?: object): ReturnType<typeof internalTlsSchema.parse> {
  const dir = mkdtempSync(join(tmpdir(), 'zs-role-tls-'));
  const saved = { ...process.env };
  try {
    for (const k of Object.keys(process.env)) if (k.startsWith('ZONESTORE_')) delete process.env[k];
    Object.assign(process.env, env);
    if (file) {
      writeFileSync(join(dir, 'c.json'), JSON.stringify(file));
      process.env.ZONESTORE_CONFIG = join(dir, 'c.json');
    }
    const cmd = new Command('meta').exitOverride();
    addCommonRoleOptions(cmd);
    addInternalTlsOptions(cmd);
    cmd.parse(['--zone', 'zone-1', ...argv], { from: 'user' });
    return parseRoleConfig(commonRoleSchema.extend(internalTlsSchema.shape), mergedOptions(applyInsecureInternalEnv(cmd, process.env)));
  } finally {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the material from flags, ZONESTORE_TLS_* or the config file; ZONESTORE_INSECURE_INTERNAL read as a boolean', () => {
  assert.deepEqual(parse(['--tls-ca', 'a', '--tls-cert', 'b', '--tls-key', 'c'], {}), { tlsCa: 'a', tlsCert: 'b', tlsKey: 'c', zone: 'zone-1', listenHost: '0.0.0.0', healthPort: 9100 });
  const env = parse([], { ZONESTORE_TLS_CA: 'a', ZONESTORE_TLS_CERT: 'b', ZONESTORE_TLS_KEY: 'c' });
  assert.deepEqual([env.tlsCa, env.tlsCert, env.tlsKey], ['a', 'b', 'c']);
  const fromFile = parse(['--tls-key', 'flag'], {}, { tlsCa: '/run/secrets/ca', tlsCert: '/run/secrets/cert', tlsKey: '/run/secrets/key' });
  assert.deepEqual([fromFile.tlsCa, fromFile.tlsCert, fromFile.tlsKey], ['/run/secrets/ca', '/run/secrets/cert', 'flag']);
  assert.equal(parse([], { ZONESTORE_INSECURE_INTERNAL: 'false' }).insecureInternal, false);
  assert.equal(parse([], { ZONESTORE_INSECURE_INTERNAL: 'TRUE' }).insecureInternal, true);
  assert.equal(parse(['--insecure-internal'], { ZONESTORE_INSECURE_INTERNAL: 'false' }).insecureInternal, true);
  // The environment ranks above the file.
  assert.equal(parse([], { ZONESTORE_INSECURE_INTERNAL: '0' }, { insecureInternal: true }).insecureInternal, false);
  assert.equal(parse([], {}, { insecureInternal: true }).insecureInternal, true);
  assert.throws(() => parse([], { ZONESTORE_INSECURE_INTERNAL: 'yes please' }), /--insecure-internal \(ZONESTORE_INSECURE_INTERNAL\)/);
});

test('the KMS root key file: 32 bytes of base64, one trailing newline allowed; anything else is refused', () => {
  const key = randomBytes(32);
  const b64 = key.toString('base64');
  assert.deepEqual(parseKmsRootKey(b64, 'k'), key);
  assert.deepEqual(parseKmsRootKey(`${b64}\n`, 'k'), key);
  assert.deepEqual(parseKmsRootKey(`${b64}\r\n`, 'k'), key);
  for (const bad of [`${b64}\n\n`, ` ${b64}`, randomBytes(31).toString('base64'), randomBytes(33).toString('base64'), key.toString('hex'), '', `${b64.slice(0, 42)}!=`]) {
    assert.throws(() => parseKmsRootKey(bad, '/run/secrets/kms'), /the KMS root key in \/run\/secrets\/kms (must hold 32 random bytes as base64|is not canonical)/, JSON.stringify(bad));
  }
  // A last character with stray low bits decodes to the same bytes but is not what was written.
  // (Canonically its two low bits are zero: one of AEIMQUYcgkosw048; the next character is not.)
  const stray = `${b64.slice(0, 42)}${String.fromCharCode(b64.charCodeAt(42) + 1)}=`;
  assert.throws(() => parseKmsRootKey(stray, 'k'), /not canonical/);
  // The error never shows the file's text.
  assert.throws(() => parseKmsRootKey('supersecretvalue', 'k'), (err: Error) => !err.message.includes('supersecret'));
});
