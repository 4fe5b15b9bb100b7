// The KMS API on a real three-zone cluster through @aws-sdk/client-kms and the aws CLI
// (Debian's awscli), unchanged: key lifecycle, envelope operations, rotation keeping old
// ciphertexts readable, deletion scheduled and cancelled, BYOK import with a real RSA-OAEP
// wrap, and callers checked against IAM policies and key policies (users without and with kms
// permissions, another account's key). A gateway without a root key refuses with
// KMSNotConfiguredException.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateKeyCommand, DecryptCommand, DeleteAliasCommand, DescribeKeyCommand,
  DisableKeyCommand, EnableKeyCommand, EnableKeyRotationCommand, EncryptCommand, GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, GetParametersForImportCommand,
  ImportKeyMaterialCommand, KMSClient, ListAliasesCommand, ListKeysCommand, PutKeyPolicyCommand, ReEncryptCommand,
  RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { AdminClient } from '../../services/cli/admin/admin-client.ts';
import { CREDENTIAL_CACHE_MS } from '../../services/gateway/credentials/meta-credential-store.ts';
import { startGateway } from '../../services/gateway/gateway.ts';
import { KEY_RECORD_TTL_MS } from '../../services/kms/kms-limits.ts';
import { runBounded, runCli, waitFor } from '../integration/cluster/cluster-fixture.ts';
import { REGION, useS3Cluster } from './s3-cluster-fixture.ts';

type Key = { accessKeyId: string; secretAccessKey: string };
const suite = useS3Cluster({ timeoutMs: 120_000 });
const AWS = '/usr/bin/aws';
const APT_TIMEOUT_MS = 240_000;

/** Debian's awscli, installed when missing (CI runs as root, as test/clients/aws-cli.test.ts does); why not, when impossible. */
function ensureAwsCli(): string | false {
  if (existsSync(AWS)) return false;
  if (process.getuid?.() !== 0) return `${AWS} is missing and installing Debian's awscli needs root`;
  spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'awscli'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: APT_TIMEOUT_MS });
  return existsSync(AWS) ? false : 'apt-get install awscli failed';
}
const awsCliMissing = ensureAwsCli();
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms + 300));

function kms(credentials: Key, zone = 0): KMSClient {
  return new KMSClient({ endpoint: `${suite.c.endpoints[zone]}/_zonestore/kms`, region: REGION, credentials, maxAttempts: 1 });
}

async function errorName(p: Promise<unknown>): Promise<string> {
  return p.then(() => 'ok', (e: unknown) => (e as { name?: string }).name ?? String(e));
}

const text = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('utf8');

test('key lifecycle and envelope operations with @aws-sdk/client-kms', { timeout: 120_000 }, async () => {
  const root = kms(suite.c.credentials);
  const created = await root.send(new CreateKeyCommand({ Description: 'app key' }));
  const keyId = created.KeyMetadata!.KeyId!;
  assert.equal(created.KeyMetadata!.KeyState, 'Enabled');
  assert.match(created.KeyMetadata!.Arn!, new RegExp(`^arn:aws:kms:${REGION}:root:key/${keyId}$`));

  const ctx = { purpose: 'test' };
  const enc = await root.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('secret words'), EncryptionContext: ctx }));
  assert.ok(!Buffer.from(enc.CiphertextBlob!).includes(Buffer.from('secret words')));
  const dec = await kms(suite.c.credentials, 1).send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx }));
  assert.equal(text(dec.Plaintext), 'secret words', 'another zone\'s gateway decrypts');
  assert.equal(dec.KeyId, created.KeyMetadata!.Arn);
  assert.equal(await errorName(root.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { purpose: 'other' } }))), 'InvalidCiphertextException');
  assert.equal(await errorName(root.send(new DecryptCommand({ CiphertextBlob: Buffer.from('garbage') }))), 'InvalidCiphertextException');

  const dk = await root.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
  assert.equal(dk.Plaintext!.length, 32);
  assert.deepEqual(Buffer.from((await root.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }))).Plaintext!), Buffer.from(dk.Plaintext!));
  const noPlain = await root.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, NumberOfBytes: 16 }));
  assert.equal((await root.send(new DecryptCommand({ CiphertextBlob: noPlain.CiphertextBlob }))).Plaintext!.length, 16);

  await root.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: keyId }));
  assert.equal(await errorName(root.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: keyId }))), 'AlreadyExistsException');
  assert.equal(await errorName(root.send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: keyId }))), 'InvalidAliasNameException');
  const viaAlias = await root.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: Buffer.from('x') }));
  assert.equal(viaAlias.KeyId, created.KeyMetadata!.Arn);
  const aliases = await root.send(new ListAliasesCommand({ KeyId: keyId }));
  assert.deepEqual(aliases.Aliases!.map((a) => a.AliasName), ['alias/app']);
  const keys = await root.send(new ListKeysCommand({}));
  assert.ok(keys.Keys!.some((k) => k.KeyId === keyId));

  // Disabled: every cryptographic use refused; enabled again, old ciphertexts decrypt.
  await root.send(new DisableKeyCommand({ KeyId: keyId }));
  assert.equal((await root.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState, 'Disabled');
  assert.equal(await errorName(root.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx }))), 'DisabledException');
  assert.equal(await errorName(root.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }))), 'DisabledException');
  await settle(KEY_RECORD_TTL_MS);
  assert.equal(await errorName(kms(suite.c.credentials, 2).send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx }))), 'DisabledException',
    'other gateways see the disable within the record TTL');
  await root.send(new EnableKeyCommand({ KeyId: keyId }));

  // Rotation: a new version encrypts, every old one still decrypts.
  await root.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 1 }));
  const status = await root.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
  assert.deepEqual([status.KeyRotationEnabled, status.RotationPeriodInDays], [true, 1]);
  await root.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
  const after = await root.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('after rotation') }));
  assert.notDeepEqual(Buffer.from(after.CiphertextBlob!).subarray(0, 48), Buffer.from(enc.CiphertextBlob!).subarray(0, 48), 'a new key version');
  assert.equal(text((await root.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx }))).Plaintext), 'secret words');
  assert.equal(text((await root.send(new DecryptCommand({ CiphertextBlob: after.CiphertextBlob }))).Plaintext), 'after rotation');

  // ReEncrypt to a second key.
  const other = (await root.send(new CreateKeyCommand({}))).KeyMetadata!;
  const re = await root.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: ctx, DestinationKeyId: other.KeyId }));
  assert.equal(re.KeyId, other.Arn);
  assert.equal(text((await root.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob }))).Plaintext), 'secret words');
  assert.equal(await errorName(root.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, KeyId: keyId }))), 'IncorrectKeyException');

  // Deletion: scheduled (7 to 30 days), unusable meanwhile, cancelled back to Disabled.
  assert.equal(await errorName(root.send(new ScheduleKeyDeletionCommand({ KeyId: other.KeyId, PendingWindowInDays: 3 }))), 'ValidationException');
  const scheduled = await root.send(new ScheduleKeyDeletionCommand({ KeyId: other.KeyId, PendingWindowInDays: 7 }));
  assert.equal(scheduled.KeyState, 'PendingDeletion');
  assert.ok(Math.abs(scheduled.DeletionDate!.getTime() - (Date.now() + 7 * 86_400_000)) < 60_000);
  assert.equal(await errorName(root.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob }))), 'KMSInvalidStateException');
  assert.equal(await errorName(root.send(new EnableKeyCommand({ KeyId: other.KeyId }))), 'KMSInvalidStateException');
  await root.send(new CancelKeyDeletionCommand({ KeyId: other.KeyId }));
  assert.equal((await root.send(new DescribeKeyCommand({ KeyId: other.KeyId }))).KeyMetadata!.KeyState, 'Disabled');
  await root.send(new EnableKeyCommand({ KeyId: other.KeyId }));
  assert.equal(text((await root.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob }))).Plaintext), 'secret words');

  await root.send(new DeleteAliasCommand({ AliasName: 'alias/app' }));
  assert.equal(await errorName(root.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: Buffer.from('x') }))), 'NotFoundException');
  assert.equal(await errorName(root.send(new DescribeKeyCommand({ KeyId: '00000000-0000-4000-8000-000000000000' }))), 'NotFoundException');
  root.destroy();
});

test('BYOK: GetParametersForImport, RSA-OAEP wrap with node:crypto, ImportKeyMaterial, use', { timeout: 120_000 }, async () => {
  const root = kms(suite.c.credentials);
  const key = (await root.send(new CreateKeyCommand({ Origin: 'EXTERNAL', Description: 'byok' }))).KeyMetadata!;
  assert.deepEqual([key.KeyState, key.Origin], ['PendingImport', 'EXTERNAL']);
  assert.equal(await errorName(root.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }))), 'KMSInvalidStateException');
  for (const [algorithm, hash] of [['RSAES_OAEP_SHA_1', 'sha1'], ['RSAES_OAEP_SHA_256', 'sha256']] as const) {
    const params = await root.send(new GetParametersForImportCommand({ KeyId: key.KeyId, WrappingAlgorithm: algorithm, WrappingKeySpec: 'RSA_2048' }));
    assert.ok(params.ParametersValidTo!.getTime() > Date.now() + 23 * 3_600_000);
    const material = randomBytes(32);
    const wrapped = publicEncrypt({ key: createPublicKey({ key: Buffer.from(params.PublicKey!), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, material);
    if (algorithm === 'RSAES_OAEP_SHA_1') {
      // A token of an earlier call is not the key's current one.
      const stale = await root.send(new GetParametersForImportCommand({ KeyId: key.KeyId, WrappingAlgorithm: algorithm, WrappingKeySpec: 'RSA_2048' }));
      assert.notDeepEqual(stale.ImportToken, params.ImportToken);
      assert.equal(await errorName(root.send(new ImportKeyMaterialCommand({
        KeyId: key.KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }))), 'InvalidImportTokenException');
      continue;
    }
    await root.send(new ImportKeyMaterialCommand({ KeyId: key.KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
  }
  assert.equal((await root.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.KeyState, 'Enabled');
  const enc = await root.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('bring your own') }));
  assert.equal(text((await kms(suite.c.credentials, 2).send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext), 'bring your own');
  assert.equal(await errorName(root.send(new EnableKeyRotationCommand({ KeyId: key.KeyId }))), 'UnsupportedOperationException');
  root.destroy();
});

test('callers: IAM user policies, key policies, another account', { timeout: 120_000 }, async () => {
  const rootKms = kms(suite.c.credentials);
  const admin = new AdminClient({ endpoint: suite.c.endpoints[0]!, ...suite.c.credentials });
  const key = (await rootKms.send(new CreateKeyCommand({}))).KeyMetadata!;
  const enc = await rootKms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('for users') }));

  await admin.call('POST', '/users', { name: 'nokms' });
  const nokms = ((await admin.call('POST', '/users/nokms/keys')).body as { accessKey: Key }).accessKey;
  await admin.call('POST', '/users', { name: 'kmsuser' });
  const kmsuser = ((await admin.call('POST', '/users/kmsuser/keys')).body as { accessKey: Key }).accessKey;
  await admin.call('PUT', '/users/kmsuser/policies/kms', JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], Resource: `arn:aws:kms:*:root:key/${key.KeyId}` },
  ] }));
  const team = (await admin.call('POST', '/accounts', { name: 'kms-team' })).body as { account: { id: string }; accessKey: Key };
  await settle(CREDENTIAL_CACHE_MS);

  const noKms = kms(nokms, 1);
  assert.equal(await errorName(noKms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))), 'AccessDeniedException');
  assert.equal(await errorName(noKms.send(new ListKeysCommand({}))), 'AccessDeniedException');
  assert.equal(await errorName(noKms.send(new CreateKeyCommand({}))), 'AccessDeniedException');

  const user = kms(kmsuser, 2);
  assert.equal(text((await user.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext), 'for users');
  await user.send(new GenerateDataKeyCommand({ KeyId: key.Arn, KeySpec: 'AES_256' }));
  assert.equal(await errorName(user.send(new DisableKeyCommand({ KeyId: key.KeyId }))), 'AccessDeniedException', 'only the actions it was given');

  // Another account: its own keys only, unless the key policy names it.
  const teamKms = kms(team.accessKey);
  assert.equal(await errorName(teamKms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))), 'AccessDeniedException');
  assert.equal(await errorName(teamKms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('x') }))), 'AccessDeniedException');
  assert.equal(await errorName(teamKms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('x') }))), 'NotFoundException', 'a bare id names the caller\'s own account');
  const own = (await teamKms.send(new CreateKeyCommand({}))).KeyMetadata!;
  assert.equal(own.AWSAccountId, team.account.id);
  assert.equal(await errorName(rootKms.send(new EncryptCommand({ KeyId: own.Arn, Plaintext: Buffer.from('x') }))), 'AccessDeniedException', 'the cluster admin manages its own keys, not others\'');

  assert.equal(await errorName(rootKms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Nope","Resource":"*","Principal":"*"}]}' }))), 'MalformedPolicyDocumentException');
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Sid: 'owner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::root:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'team', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${team.account.id}:root` }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
  ] });
  await rootKms.send(new PutKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default', Policy: policy }));
  assert.equal((await rootKms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default' }))).Policy, policy);
  await settle(KEY_RECORD_TTL_MS);
  assert.equal(text((await teamKms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext), 'for users', 'granted by the key policy');
  const teamEnc = await teamKms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from('from the team') }));
  assert.equal(text((await rootKms.send(new DecryptCommand({ CiphertextBlob: teamEnc.CiphertextBlob }))).Plaintext), 'from the team');
  assert.equal(await errorName(teamKms.send(new DisableKeyCommand({ KeyId: key.Arn }))), 'AccessDeniedException');
  for (const c of [rootKms, noKms, user, teamKms]) c.destroy();
});

test('a gateway without a KMS root key answers KMSNotConfiguredException', { timeout: 60_000 }, async () => {
  const gw = await startGateway({
    host: '127.0.0.1', port: 0, metaAddresses: suite.c.cluster.metaApiAddresses, localZone: 'zone-1',
    rootCredentials: suite.c.credentials, log: pino({ level: 'silent' }),
  });
  try {
    const client = new KMSClient({ endpoint: `${gw.url}/_zonestore/kms`, region: REGION, credentials: suite.c.credentials, maxAttempts: 1 });
    assert.equal(await errorName(client.send(new ListKeysCommand({}))), 'KMSNotConfiguredException');
    client.destroy();
  } finally {
    await gw.stop();
  }
});

test('the aws CLI: create-key, encrypt, decrypt, generate-data-key, list-keys, describe-key', { timeout: 120_000, skip: awsCliMissing }, async () => {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: suite.c.root,
    AWS_ACCESS_KEY_ID: suite.c.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: suite.c.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: REGION, AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
    AWS_CONFIG_FILE: `${suite.c.root}/no-config`, AWS_SHARED_CREDENTIALS_FILE: `${suite.c.root}/no-credentials`,
  };
  const aws = async (...args: string[]) => {
    const r = await runBounded(AWS, ['kms', ...args, '--endpoint-url', `${suite.c.endpoints[0]}/_zonestore/kms`, '--output', 'json'], { timeoutMs: 60_000, env });
    return { ...r, json: r.code === 0 && r.stdout.trim() !== '' ? JSON.parse(r.stdout) as Record<string, any> : {} };
  };
  const created = await aws('create-key', '--description', 'from the CLI');
  assert.equal(created.code, 0, created.stderr);
  const keyId = created.json['KeyMetadata'].KeyId as string;
  const enc = await aws('encrypt', '--key-id', keyId, '--plaintext', Buffer.from('cli secret').toString('base64'), '--encryption-context', 'app=cli');
  assert.equal(enc.code, 0, enc.stderr);
  const dec = await aws('decrypt', '--ciphertext-blob', enc.json['CiphertextBlob'], '--encryption-context', 'app=cli');
  assert.equal(dec.code, 0, dec.stderr);
  assert.equal(Buffer.from(dec.json['Plaintext'], 'base64').toString(), 'cli secret');
  const dk = await aws('generate-data-key', '--key-id', keyId, '--key-spec', 'AES_256');
  assert.equal(Buffer.from(dk.json['Plaintext'], 'base64').length, 32);
  const listed = await aws('list-keys');
  assert.ok((listed.json['Keys'] as Array<{ KeyId: string }>).some((k) => k.KeyId === keyId));
  assert.equal((await aws('disable-key', '--key-id', keyId)).code, 0);
  const refused = await aws('decrypt', '--ciphertext-blob', enc.json['CiphertextBlob'], '--encryption-context', 'app=cli');
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /DisabledException/);
  const described = await aws('describe-key', '--key-id', keyId);
  assert.equal(described.json['KeyMetadata'].KeyState, 'Disabled');
});

test('zonestore admin kms: create, alias, encrypt/decrypt, rotation, disable, BYOK import, policy, deletion', { timeout: 180_000 }, async () => {
  const base = ['admin', '--endpoint', suite.c.endpoints[1]!, '--access-key-id', suite.c.credentials.accessKeyId, '--secret-access-key', suite.c.credentials.secretAccessKey, 'kms'];
  const cli = async (...args: string[]) => {
    const r = await runCli([...base, ...args]);
    assert.equal(r.code, 0, `kms ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const created = JSON.parse(await cli('create', '--description', 'cli key')) as { KeyMetadata: { KeyId: string } };
  const keyId = created.KeyMetadata.KeyId;
  await cli('alias', 'create', 'alias/cli', keyId);
  assert.match(await cli('alias', 'list', '--key', keyId), /alias\/cli/);
  const blob = await cli('encrypt', 'alias/cli', 'hello from the cli', '--context', 'app=zs');
  assert.equal(await cli('decrypt', blob, '--context', 'app=zs'), 'hello from the cli');
  const dk = JSON.parse(await cli('generate-data-key', keyId, '--bytes', '16')) as { Plaintext: string };
  assert.equal(Buffer.from(dk.Plaintext, 'base64').length, 16);
  await cli('rotation', keyId, 'on', '--period-days', '30');
  assert.match(await cli('rotation', keyId, 'status'), /"RotationPeriodInDays": 30/);
  await cli('rotate', keyId);
  assert.equal(await cli('decrypt', blob, '--context', 'app=zs'), 'hello from the cli', 'old ciphertext after rotation');
  await cli('disable', keyId);
  const refused = await runCli([...base, 'decrypt', blob, '--context', 'app=zs']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /DisabledException/);
  await cli('enable', keyId);
  assert.match(await cli('describe', keyId), /"KeyState": "Enabled"/);
  assert.match(await cli('policy', 'get', keyId), /arn:aws:iam::root:root/);
  const policyFile = `${suite.c.root}/key-policy.json`;
  writeFileSync(policyFile, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::root:root' }, Action: 'kms:*', Resource: '*' }] }));
  await cli('policy', 'put', keyId, policyFile);

  const external = JSON.parse(await cli('create', '--external')) as { KeyMetadata: { KeyId: string; KeyState: string } };
  assert.equal(external.KeyMetadata.KeyState, 'PendingImport');
  const materialFile = `${suite.c.root}/material.key`;
  writeFileSync(materialFile, randomBytes(32).toString('base64'));
  await cli('import', external.KeyMetadata.KeyId, materialFile);
  const byok = await cli('encrypt', external.KeyMetadata.KeyId, 'byok via cli');
  assert.equal(await cli('decrypt', byok), 'byok via cli');

  assert.match(await cli('schedule-deletion', keyId, '--days', '7'), /PendingDeletion/);
  await cli('cancel-deletion', keyId);
  assert.match(await cli('list'), new RegExp(keyId));
});

// Last: it moves zone 1's gateway to a new port.
test('keys survive a zone loss and its restart: the other zones decrypt meanwhile, the restarted gateway reads the same root key', { timeout: 180_000 }, async () => {
  const root = kms(suite.c.credentials, 1);
  const key = (await root.send(new CreateKeyCommand({}))).KeyMetadata!;
  const enc = await root.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('survives') }));
  const zone = suite.c.cluster.specs[0]!.zone;
  await suite.c.cluster.kill(zone);
  const decryptAt = (i: number, endpoint?: string) => async () => {
    const c = endpoint ? new KMSClient({ endpoint: `${endpoint}/_zonestore/kms`, region: REGION, credentials: suite.c.credentials, maxAttempts: 1 }) : kms(suite.c.credentials, i);
    try {
      return text((await c.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext);
    } finally {
      c.destroy();
    }
  };
  assert.equal(await waitFor('decrypt with a zone down', decryptAt(2), 30_000), 'survives');
  const dk = await waitFor('a data key with a zone down', async () => (await root.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: 'AES_256' }))).CiphertextBlob, 30_000);
  const restarted = (await suite.c.cluster.start(zone)).gateway.url;
  assert.equal(await waitFor('decrypt at the restarted zone', decryptAt(0, restarted), 60_000), 'survives');
  const again = new KMSClient({ endpoint: `${restarted}/_zonestore/kms`, region: REGION, credentials: suite.c.credentials, maxAttempts: 1 });
  assert.equal((await again.send(new DecryptCommand({ CiphertextBlob: dk }))).Plaintext!.length, 32);
  again.destroy();
  root.destroy();
});
