// The key service's lifecycle operations (the control plane of the KMS API): create, describe
// and list keys; enable, disable, schedule and cancel deletion; rotation; BYOK import; key
// policies; aliases. Each checks the caller (KeyService.authorize, or the account-level
// decision for CreateKey / ListKeys / ListAliases), then proposes one meta command.
import { randomBytes, randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import {
  KmsImportParametersSchema, KmsKeyChange, KmsKeyManager, KmsKeyOrigin, KmsKeySchema, KmsKeyState, KmsKeyVersionSchema,
  type KmsAlias, type KmsKey,
} from '../common/gen/zonestore/meta/v1/kms_pb.ts';
import { KmsError, type KmsAction, type KmsCaller } from './data-key-service.ts';
import {
  checkWrappingAlgorithm, checkWrappingKeySpec, newImportKeyPair, unwrapImportedMaterial,
} from './key-import.ts';
import { defaultKeyPolicy, keyArn, parseKeyReference, SERVICE_KEY_ALIAS } from './key-records.ts';
import type { KeyService } from './key-service.ts';
import { IMPORT_TOKEN_BYTES, IMPORT_TOKEN_VALID_MS, KEY_MATERIAL_BYTES } from './kms-limits.ts';

const ALIAS_NAME = /^alias\/[A-Za-z0-9/_-]{1,250}$/;

export interface CreateKeyInput {
  description?: string;
  origin?: 'AWS_KMS' | 'EXTERNAL';
  policy?: string;
}

export class KeyAdministration {
  constructor(private readonly s: KeyService) {}

  private accountLevel(caller: KmsCaller, action: KmsAction): void {
    const arn = `arn:aws:kms:${this.s.region}:${caller.accountId}:*`;
    if (caller.mayDo(action, arn) !== 'allow') {
      throw new KmsError('AccessDeniedException', `The caller is not authorized to perform: ${action} in account ${caller.accountId}`);
    }
  }

  /** A customer key by reference, checked for `action`. */
  async key(caller: KmsCaller, ref: unknown, action: KmsAction): Promise<KmsKey> {
    const key = await this.s.resolve(parseKeyReference(ref), caller.accountId);
    this.s.authorize(caller, action, key);
    return key;
  }

  private checkPolicyText(policy: string): void {
    if (Buffer.byteLength(policy, 'utf8') > 32 * 1024) throw new KmsError('LimitExceededException', 'a key policy has at most 32768 bytes');
    const problem = this.s.checkPolicy?.(policy);
    if (problem) throw new KmsError('ValidationException', problem, 'MalformedPolicyDocumentException');
  }

  private customerOnly(key: KmsKey, what: string): void {
    if (key.manager !== KmsKeyManager.CUSTOMER) throw new KmsError('KMSInvalidStateException', `${this.s.arnOf(key)} is an AWS managed key: ${what}`, 'UnsupportedOperationException');
  }

  private async change(key: KmsKey, change: KmsKeyChange, args?: { pendingWindowDays?: number; rotationPeriodDays?: number; policy?: string }): Promise<KmsKey> {
    const next = await this.s.store.updateKey(key.keyId, change, args);
    this.s.remember(next, key.keyId);
    return next ?? key;
  }

  async createKey(caller: KmsCaller, input: CreateKeyInput): Promise<KmsKey> {
    this.accountLevel(caller, 'kms:CreateKey');
    if (caller.accountId === '') throw new KmsError('AccessDeniedException', 'anonymous callers have no keys');
    const origin = input.origin ?? 'AWS_KMS';
    if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL') throw new KmsError('ValidationException', 'Origin is AWS_KMS or EXTERNAL', 'UnsupportedOperationException');
    const policy = input.policy ?? '';
    if (policy !== '') this.checkPolicyText(policy);
    const keyId = randomUUID();
    const material = origin === 'AWS_KMS' ? randomBytes(KEY_MATERIAL_BYTES) : undefined;
    const record = create(KmsKeySchema, {
      keyId, accountId: caller.accountId, description: input.description ?? '', manager: KmsKeyManager.CUSTOMER, policy,
      origin: origin === 'EXTERNAL' ? KmsKeyOrigin.EXTERNAL : KmsKeyOrigin.AWS_KMS,
      state: material ? KmsKeyState.ENABLED : KmsKeyState.PENDING_IMPORT,
      versions: material ? [create(KmsKeyVersionSchema, { version: 1, wrappedMaterial: this.s.wrapper.wrap(material, { kind: 'material', keyId, version: 1 }) })] : [],
    });
    const key = await this.s.store.createKey(record);
    this.s.remember(key);
    if (material) this.s.cache.putMaterial(keyId, 1, material, this.s.now());
    return key;
  }

  async describeKey(caller: KmsCaller, ref: unknown): Promise<KmsKey> {
    // DescribeKey of the default key before first use creates it, as AWS shows aws/s3 once S3 used it.
    const reference = parseKeyReference(ref);
    // Only a caller who could describe it brings the default key into being.
    const mayCreate = caller.mayDo('kms:DescribeKey', `arn:aws:kms:${this.s.region}:${caller.accountId}:*`) === 'allow';
    const key = await this.s.resolve(reference, caller.accountId, mayCreate);
    this.s.authorize(caller, 'kms:DescribeKey', key);
    return key;
  }

  async listKeys(caller: KmsCaller): Promise<KmsKey[]> {
    this.accountLevel(caller, 'kms:ListKeys');
    const keys = await this.s.store.listKeys(caller.accountId);
    const now = BigInt(this.s.now());
    return keys.filter((k) => k.manager !== KmsKeyManager.SERVICE && !(k.state === KmsKeyState.PENDING_DELETION && now >= k.deletionMs));
  }

  async enable(caller: KmsCaller, ref: unknown, enabled: boolean): Promise<KmsKey> {
    const key = await this.key(caller, ref, enabled ? 'kms:EnableKey' : 'kms:DisableKey');
    this.customerOnly(key, 'it cannot be enabled or disabled');
    return this.change(key, enabled ? KmsKeyChange.ENABLE : KmsKeyChange.DISABLE);
  }

  async scheduleDeletion(caller: KmsCaller, ref: unknown, pendingWindowDays: unknown): Promise<KmsKey> {
    const key = await this.key(caller, ref, 'kms:ScheduleKeyDeletion');
    this.customerOnly(key, 'it cannot be deleted');
    const days = pendingWindowDays === undefined ? 30 : pendingWindowDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 7 || days > 30) {
      throw new KmsError('ValidationException', 'PendingWindowInDays is 7 to 30');
    }
    return this.change(key, KmsKeyChange.SCHEDULE_DELETION, { pendingWindowDays: days });
  }

  async cancelDeletion(caller: KmsCaller, ref: unknown): Promise<KmsKey> {
    const key = await this.key(caller, ref, 'kms:CancelKeyDeletion');
    return this.change(key, KmsKeyChange.CANCEL_DELETION);
  }

  async setRotation(caller: KmsCaller, ref: unknown, enabled: boolean, periodDays?: unknown): Promise<KmsKey> {
    const key = await this.key(caller, ref, enabled ? 'kms:EnableKeyRotation' : 'kms:DisableKeyRotation');
    this.customerOnly(key, 'its rotation is managed by the service');
    if (key.origin === KmsKeyOrigin.EXTERNAL) throw new KmsError('KMSInvalidStateException', 'keys with imported material do not rotate automatically', 'UnsupportedOperationException');
    if (key.state === KmsKeyState.DISABLED) throw new KmsError('DisabledException', `${this.s.arnOf(key)} is disabled.`);
    if (periodDays !== undefined && (typeof periodDays !== 'number' || !Number.isInteger(periodDays) || periodDays < 1 || periodDays > 2560)) {
      throw new KmsError('ValidationException', 'RotationPeriodInDays is 1 to 2560');
    }
    return this.change(key, enabled ? KmsKeyChange.ENABLE_ROTATION : KmsKeyChange.DISABLE_ROTATION,
      enabled ? { rotationPeriodDays: (periodDays as number | undefined) ?? 0 } : {});
  }

  async rotationStatus(caller: KmsCaller, ref: unknown): Promise<KmsKey> {
    return this.key(caller, ref, 'kms:GetKeyRotationStatus');
  }

  async rotateOnDemand(caller: KmsCaller, ref: unknown): Promise<KmsKey> {
    let key = await this.key(caller, ref, 'kms:RotateKeyOnDemand');
    this.customerOnly(key, 'it cannot be rotated on demand');
    if (key.origin === KmsKeyOrigin.EXTERNAL) throw new KmsError('KMSInvalidStateException', 'keys with imported material are not rotated here', 'UnsupportedOperationException');
    this.s.usable(key);
    for (let attempt = 0; ; attempt++) {
      const next = this.s.newVersionMaterial(key);
      try {
        const res = await this.s.store.rotateKey(key.keyId, next.wrapped, true, next.version - 1);
        this.s.cache.putMaterial(key.keyId, next.version, next.material, this.s.now());
        this.s.remember(res.key);
        return res.key;
      } catch (err) {
        // Another rotation won the version number: read the key again and wrap for the next one.
        if (attempt >= 2 || !(err instanceof KmsError) || !/concurrently/.test(err.message)) throw err;
        this.s.remember(undefined, key.keyId);
        key = (await this.s.loadKey(key.keyId)) ?? key;
      }
    }
  }

  async getParametersForImport(caller: KmsCaller, ref: unknown, algorithm: unknown, spec: unknown) {
    const key = await this.key(caller, ref, 'kms:GetParametersForImport');
    const wrappingAlgorithm = checkWrappingAlgorithm(algorithm);
    const wrappingKeySpec = checkWrappingKeySpec(spec);
    if (key.origin !== KmsKeyOrigin.EXTERNAL) throw new KmsError('KMSInvalidStateException', `${this.s.arnOf(key)} does not take imported material (Origin AWS_KMS)`, 'UnsupportedOperationException');
    if (key.state !== KmsKeyState.PENDING_IMPORT) throw new KmsError('KMSInvalidStateException', `${this.s.arnOf(key)} is not pending import`);
    const pair = await newImportKeyPair(wrappingKeySpec);
    const importToken = randomBytes(IMPORT_TOKEN_BYTES);
    const expiresMs = this.s.now() + IMPORT_TOKEN_VALID_MS;
    const next = await this.s.store.putImportParameters(key.keyId, create(KmsImportParametersSchema, {
      wrappedPrivateKey: this.s.wrapper.wrap(pair.privateKeyDer, { kind: 'import-private-key', keyId: key.keyId }),
      importToken, expiresMs: BigInt(expiresMs), wrappingAlgorithm, wrappingKeySpec,
    }));
    this.s.remember(next);
    return { key: next, publicKey: pair.publicKeyDer, importToken, validToMs: expiresMs };
  }

  async importKeyMaterial(caller: KmsCaller, ref: unknown, importToken: Buffer, encryptedMaterial: Buffer): Promise<KmsKey> {
    const key = await this.key(caller, ref, 'kms:ImportKeyMaterial');
    if (key.origin !== KmsKeyOrigin.EXTERNAL) throw new KmsError('KMSInvalidStateException', `${this.s.arnOf(key)} does not take imported material`, 'UnsupportedOperationException');
    const params = key.import;
    if (key.state !== KmsKeyState.PENDING_IMPORT) throw new KmsError('KMSInvalidStateException', `${this.s.arnOf(key)} is not pending import`);
    if (!params || !Buffer.from(params.importToken).equals(importToken)) {
      throw new KmsError('ValidationException', 'the import token is not the one GetParametersForImport returned last', 'InvalidImportTokenException');
    }
    if (BigInt(this.s.now()) > params.expiresMs) throw new KmsError('ValidationException', 'the import token has expired', 'ExpiredImportTokenException');
    const privateKey = this.s.wrapper.unwrap(params.wrappedPrivateKey, { kind: 'import-private-key', keyId: key.keyId });
    const material = unwrapImportedMaterial(privateKey, params.wrappingAlgorithm, encryptedMaterial);
    const wrapped = this.s.wrapper.wrap(material, { kind: 'material', keyId: key.keyId, version: 1 });
    const next = await this.s.store.importMaterial(key.keyId, importToken, wrapped);
    this.s.remember(next);
    this.s.cache.putMaterial(key.keyId, 1, material, this.s.now());
    return next;
  }

  async putKeyPolicy(caller: KmsCaller, ref: unknown, policyName: unknown, policy: unknown): Promise<void> {
    const key = await this.key(caller, ref, 'kms:PutKeyPolicy');
    if (policyName !== undefined && policyName !== 'default') throw new KmsError('ValidationException', 'PolicyName is "default"');
    if (typeof policy !== 'string' || policy === '') throw new KmsError('ValidationException', 'Policy is a JSON document', 'MalformedPolicyDocumentException');
    this.checkPolicyText(policy);
    await this.change(key, KmsKeyChange.PUT_POLICY, { policy });
  }

  async getKeyPolicy(caller: KmsCaller, ref: unknown, policyName: unknown): Promise<string> {
    const key = await this.key(caller, ref, 'kms:GetKeyPolicy');
    if (policyName !== undefined && policyName !== 'default') throw new KmsError('NotFoundException', `no key policy named ${String(policyName)}`);
    return key.policy === '' ? defaultKeyPolicy(key.accountId) : key.policy;
  }

  async createAlias(caller: KmsCaller, aliasName: unknown, targetKeyId: unknown): Promise<KmsAlias> {
    if (typeof aliasName !== 'string' || !ALIAS_NAME.test(aliasName)) throw new KmsError('ValidationException', 'AliasName is alias/ then 1 to 250 of A-Za-z0-9/_-', 'InvalidAliasNameException');
    if (aliasName.startsWith('alias/aws/') || aliasName.startsWith('alias/zonestore/')) {
      throw new KmsError('ValidationException', `${aliasName} is reserved`, 'InvalidAliasNameException');
    }
    const ref = parseKeyReference(targetKeyId);
    if (ref.kind !== 'id') throw new KmsError('ValidationException', 'TargetKeyId names a key (id or ARN), not an alias');
    const key = await this.key(caller, targetKeyId, 'kms:CreateAlias');
    this.customerOnly(key, 'it gets no more aliases');
    const alias = await this.s.store.createAlias(caller.accountId, aliasName, key.keyId);
    this.s.cache.putAlias(caller.accountId, aliasName, key.keyId, this.s.now());
    return alias;
  }

  async deleteAlias(caller: KmsCaller, aliasName: unknown): Promise<void> {
    if (typeof aliasName !== 'string' || !ALIAS_NAME.test(aliasName)) throw new KmsError('ValidationException', 'AliasName is alias/…', 'InvalidAliasNameException');
    if (aliasName.startsWith('alias/aws/')) throw new KmsError('ValidationException', `${aliasName} is reserved`, 'InvalidAliasNameException');
    const key = await this.key(caller, aliasName, 'kms:DeleteAlias');
    this.customerOnly(key, 'its alias is the service\'s');
    await this.s.store.deleteAlias(caller.accountId, aliasName);
    this.s.cache.forgetAlias(caller.accountId, aliasName);
  }

  async listAliases(caller: KmsCaller, keyRef?: unknown): Promise<Array<KmsAlias & { arn: string }>> {
    let keyId: string | undefined;
    if (keyRef !== undefined) {
      keyId = (await this.key(caller, keyRef, 'kms:ListAliases')).keyId;
    } else {
      this.accountLevel(caller, 'kms:ListAliases');
    }
    const aliases = (await this.s.store.listAliases(caller.accountId, keyId)).filter((a) => a.aliasName !== SERVICE_KEY_ALIAS);
    return aliases.map((a) => Object.assign(a, { arn: `${keyArn(this.s.region, a.accountId, '').replace(/key\/$/, '')}${a.aliasName}` }));
  }
}
