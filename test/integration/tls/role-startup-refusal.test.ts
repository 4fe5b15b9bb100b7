// The role processes (`zonestore meta|data|gateway|zone`, as the image runs them) refuse to start
// on internal TLS material that cannot work — none at all without --insecure-internal, a
// certificate of another CA, half of the files — and the gateway on a KMS root key file that is
// not 32 bytes of base64: exit 1 with one line saying why, before any port is opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { createClusterCa, ensureInternalCertificate, issueInternalCertificate } from '../../../services/common/tls/index.ts';
import { SERVER_ENTRY } from '../deploy/server-bundle.ts';

const EXIT_TIMEOUT_MS = 30_000;
const root = mkdtempSync(join(tmpdir(), 'zs-role-refusal-'));
after(() => rmSync(root, { recursive: true, force: true }));

const good = ensureInternalCertificate(join(root, 'tls'), 'internal');
const foreign = issueInternalCertificate(createClusterCa({ now: new Date() }), { commonName: 'intruder', now: new Date() });
writeFileSync(join(root, 'foreign.pem'), foreign.certPem);
writeFileSync(join(root, 'foreign-key.pem'), foreign.keyPem);
writeFileSync(join(root, 'kms-hex.key'), `${'ab'.repeat(32)}\n`);

const PEERS = 'meta-1=127.0.0.1:1/127.0.0.1:2';
const BASE: Record<string, string[]> = {
  meta: ['--zone', 'zone-1', '--meta-id', 'meta-1', '--meta-peers', PEERS, '--data-dir', join(root, 'meta')],
  data: ['--zone', 'zone-1', '--node-id', 'n1', '--meta-peers', PEERS, '--data-dir', join(root, 'data')],
  gateway: ['--zone', 'zone-1', '--meta-peers', PEERS],
  zone: ['--zone', 'zone-1', '--meta-id', 'meta-1', '--meta-peers', PEERS, '--data-dir', join(root, 'zone')],
};

function runRole(role: string, extra: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ZONESTORE_ROOT_ACCESS_KEY_ID: 'ZSREFUSALTEST0000001', ZONESTORE_ROOT_SECRET_ACCESS_KEY: 'refusal-test-secret' };
    for (const k of Object.keys(env)) if (k.startsWith('ZONESTORE_') && !k.startsWith('ZONESTORE_ROOT_')) delete env[k];
    // Port 0 for health: if a role did start, it must not collide with anything.
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER_ENTRY, role, ...BASE[role]!, '--health-port', '0', '--listen-host', '127.0.0.1', ...extra], { env });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${role} ${extra.join(' ')} did not exit within ${EXIT_TIMEOUT_MS} ms; stdout: ${stdout}`));
    }, EXIT_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

for (const role of ['meta', 'data', 'gateway', 'zone']) {
  test(`${role}: no internal TLS material and no --insecure-internal → exit 1, saying what to give`, async () => {
    const r = await runRole(role, []);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stdout, /READY/);
    assert.match(r.stderr, /zonestore: internal gRPC needs mutual TLS: give --tls-ca, --tls-cert and --tls-key \(ZONESTORE_TLS_CA, ZONESTORE_TLS_CERT, ZONESTORE_TLS_KEY\)/);
  });
}

test('a certificate of another CA, or half of the files: exit 1 before any port opens', async () => {
  const other = await runRole('data', ['--tls-ca', good.caFile, '--tls-cert', join(root, 'foreign.pem'), '--tls-key', join(root, 'foreign-key.pem')]);
  assert.equal(other.code, 1, other.stderr);
  assert.match(other.stderr, /the internal TLS material \(.*foreign\.pem\) will not work:\n {2}the certificate .* is not signed by the CA/);
  const half = await runRole('meta', ['--tls-ca', good.caFile]);
  assert.equal(half.code, 1);
  assert.match(half.stderr, /internal TLS needs all three of .* 1 given/);
});

test('gateway and zone: a KMS root key file that is not 32 bytes of base64, or missing → exit 1 naming the file', async () => {
  const tls = ['--tls-ca', good.caFile, '--tls-cert', good.certFile, '--tls-key', good.keyFile];
  const hex = await runRole('gateway', [...tls, '--kms-root-key-file', join(root, 'kms-hex.key')]);
  assert.equal(hex.code, 1, hex.stderr);
  assert.match(hex.stderr, /the KMS root key in .*kms-hex\.key must hold 32 random bytes as base64/);
  assert.doesNotMatch(hex.stderr, /abab/, 'the key file\'s text is not echoed');
  const missing = await runRole('gateway', [...tls, '--kms-root-key-file', join(root, 'nope.key')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read the KMS root key file .*nope\.key: ENOENT/);
  const zone = await runRole('zone', [...tls, '--kms-root-key-file', join(root, 'kms-hex.key')]);
  assert.equal(zone.code, 1, zone.stderr);
  assert.match(zone.stderr, /the KMS root key in .*kms-hex\.key must hold 32 random bytes as base64/);
});
