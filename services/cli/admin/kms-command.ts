// `zonestore admin kms …`: the key service through its KMS API (docs/kms.md), with the admin
// command's endpoint and key resolution. BYOK `import` does the whole AWS dance locally:
// GetParametersForImport, RSA-OAEP wrap of the material file, ImportKeyMaterial.
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { KmsApiClient } from './kms-client.ts';

export interface KmsTarget {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  caFile?: string;
}

type Run = (c: KmsApiClient) => Promise<unknown>;

/** `k=v` pairs of --context, repeatable. */
function contextOf(pairs: string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new Error(`--context takes key=value, not ${JSON.stringify(p)}`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}
const collect = (v: string, acc: string[] = []) => [...acc, v];

/** 32 raw bytes, or their base64 text. */
function readMaterial(file: string): Buffer {
  const raw = readFileSync(file);
  if (raw.length === 32) return raw;
  const b = Buffer.from(raw.toString('utf8').trim(), 'base64');
  if (b.length !== 32) throw new Error(`${file}: key material is 32 bytes (raw or base64)`);
  return b;
}

export function registerKmsCommand(admin: Command, targetOf: () => KmsTarget): void {
  const run = (fn: Run) => async () => {
    let client: KmsApiClient | undefined;
    try {
      client = new KmsApiClient(targetOf());
      const out = await fn(client);
      if (out !== undefined) process.stdout.write(`${typeof out === 'string' ? out : JSON.stringify(out, null, 2)}\n`);
    } catch (err) {
      process.stderr.write(`zonestore admin kms: ${(err as Error).message}\n`);
      process.exitCode = 1;
    } finally {
      client?.close();
    }
  };
  const kms = admin.command('kms').description('KMS keys: lifecycle, rotation, BYOK import, key policies, aliases, envelope operations');

  kms.command('create').description('create a key').option('--description <text>').option('--external', 'for imported material (BYOK): PendingImport until `import`')
    .option('--policy-file <file>', 'key policy (IAM JSON)')
    .action((o: { description?: string; external?: boolean; policyFile?: string }) => run((c) => c.call('CreateKey', {
      ...(o.description ? { Description: o.description } : {}), ...(o.external ? { Origin: 'EXTERNAL' } : {}),
      ...(o.policyFile ? { Policy: readFileSync(o.policyFile, 'utf8') } : {}),
    }))());
  kms.command('list').description('list keys').action(() => run((c) => c.call('ListKeys', { Limit: 1000 }))());
  kms.command('describe <key>').description('show a key (id, ARN or alias)').action((k: string) => run((c) => c.call('DescribeKey', { KeyId: k }))());
  kms.command('enable <key>').description('enable a key').action((k: string) => run((c) => c.call('EnableKey', { KeyId: k }))());
  kms.command('disable <key>').description('disable a key: every encrypt and decrypt with it fails').action((k: string) => run((c) => c.call('DisableKey', { KeyId: k }))());
  kms.command('schedule-deletion <key>').description('delete a key after a waiting period').option('--days <n>', '7 to 30', '30')
    .action((k: string, o: { days: string }) => run((c) => c.call('ScheduleKeyDeletion', { KeyId: k, PendingWindowInDays: Number(o.days) }))());
  kms.command('cancel-deletion <key>').description('cancel a scheduled deletion (the key is Disabled after)').action((k: string) => run((c) => c.call('CancelKeyDeletion', { KeyId: k }))());
  kms.command('rotate <key>').description('rotate now: a new key version encrypts, old ones still decrypt').action((k: string) => run((c) => c.call('RotateKeyOnDemand', { KeyId: k }))());
  kms.command('rotation <key> <state>').description('automatic rotation: on, off or status').option('--period-days <n>', 'rotation period (1 to 2560, default 365)')
    .action((k: string, state: string, o: { periodDays?: string }) => run((c) => {
      if (state === 'on') return c.call('EnableKeyRotation', { KeyId: k, ...(o.periodDays ? { RotationPeriodInDays: Number(o.periodDays) } : {}) });
      if (state === 'off') return c.call('DisableKeyRotation', { KeyId: k });
      if (state === 'status') return c.call('GetKeyRotationStatus', { KeyId: k });
      throw new Error('rotation takes on, off or status');
    })());

  const alias = kms.command('alias').description('aliases (alias/<name>)');
  alias.command('create <alias> <key>').description('name a key').action((a: string, k: string) => run((c) => c.call('CreateAlias', { AliasName: a, TargetKeyId: k }))());
  alias.command('list').description('list aliases').option('--key <key>', 'only this key\'s')
    .action((o: { key?: string }) => run((c) => c.call('ListAliases', o.key ? { KeyId: o.key } : {}))());
  alias.command('delete <alias>').description('delete an alias').action((a: string) => run((c) => c.call('DeleteAlias', { AliasName: a }))());

  kms.command('import <key> <materialFile>').description('BYOK: import 32 bytes of key material (raw or base64) into an --external key')
    .option('--algorithm <alg>', 'RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256').option('--key-spec <spec>', 'RSA_2048 or RSA_3072', 'RSA_2048')
    .action((k: string, file: string, o: { algorithm: string; keySpec: string }) => run(async (c) => {
      const material = readMaterial(file);
      const p = await c.call('GetParametersForImport', { KeyId: k, WrappingAlgorithm: o.algorithm, WrappingKeySpec: o.keySpec });
      const publicKey = createPublicKey({ key: Buffer.from(String(p['PublicKey']), 'base64'), format: 'der', type: 'spki' });
      const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: o.algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256' }, material);
      return c.call('ImportKeyMaterial', { KeyId: k, ImportToken: p['ImportToken'], EncryptedKeyMaterial: wrapped.toString('base64'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    })());

  const policy = kms.command('policy').description('the key policy');
  policy.command('get <key>').description('print the key policy').action((k: string) => run(async (c) => String((await c.call('GetKeyPolicy', { KeyId: k, PolicyName: 'default' }))['Policy']))());
  policy.command('put <key> <file>').description('replace the key policy from a JSON file ("-": stdin)')
    .action((k: string, f: string) => run((c) => c.call('PutKeyPolicy', { KeyId: k, PolicyName: 'default', Policy: readFileSync(f === '-' ? 0 : f, 'utf8') }))());

  kms.command('encrypt <key> <plaintext>').description('encrypt a short text (≤ 4096 bytes); prints the base64 ciphertext')
    .option('--context <k=v>', 'encryption context pair (repeatable)', collect)
    .action((k: string, text: string, o: { context?: string[] }) => run(async (c) => String((await c.call('Encrypt', {
      KeyId: k, Plaintext: Buffer.from(text, 'utf8').toString('base64'), ...(contextOf(o.context) ? { EncryptionContext: contextOf(o.context) } : {}),
    }))['CiphertextBlob']))());
  kms.command('decrypt <ciphertext>').description('decrypt a base64 ciphertext; prints the plaintext')
    .option('--context <k=v>', 'encryption context pair (repeatable)', collect).option('--base64', 'print the plaintext as base64')
    .action((blob: string, o: { context?: string[]; base64?: boolean }) => run(async (c) => {
      const r = await c.call('Decrypt', { CiphertextBlob: blob, ...(contextOf(o.context) ? { EncryptionContext: contextOf(o.context) } : {}) });
      const plain = Buffer.from(String(r['Plaintext']), 'base64');
      return o.base64 ? plain.toString('base64') : plain.toString('utf8');
    })());
  kms.command('generate-data-key <key>').description('a data key: plaintext and ciphertext, base64').option('--bytes <n>', '1 to 1024', '32')
    .option('--context <k=v>', 'encryption context pair (repeatable)', collect)
    .action((k: string, o: { bytes: string; context?: string[] }) => run((c) => c.call('GenerateDataKey', {
      KeyId: k, NumberOfBytes: Number(o.bytes), ...(contextOf(o.context) ? { EncryptionContext: contextOf(o.context) } : {}),
    }))());
}
