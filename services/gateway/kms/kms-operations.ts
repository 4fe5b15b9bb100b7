// The KMS API's operations: AWS KMS JSON members in, AWS KMS JSON members out (blobs as base64,
// dates as epoch seconds), over services/kms/. One function per X-Amz-Target operation.
import type { KmsKey } from '../../common/gen/zonestore/meta/v1/kms_pb.ts';
import type { KmsCaller } from '../../kms/data-key-service.ts';
import { checkEncryptionContext } from '../../kms/encryption-context.ts';
import type { KeyAdministration } from '../../kms/key-administration.ts';
import { keyMetadata, STATE_NAMES } from '../../kms/key-records.ts';
import type { KeyService } from '../../kms/key-service.ts';
import { MAX_CIPHERTEXT_BLOB_BYTES } from '../../kms/kms-limits.ts';
import { KmsApiError } from './kms-api-error.ts';

export interface KmsOperationContext {
  keys: KeyService;
  admin: KeyAdministration;
  caller: KmsCaller;
  input: Record<string, unknown>;
}

type Operation = (c: KmsOperationContext) => Promise<Record<string, unknown>>;

function blob(input: Record<string, unknown>, name: string, required = true): Buffer | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (required) throw new KmsApiError('ValidationException', `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length > MAX_CIPHERTEXT_BLOB_BYTES * 2) {
    throw new KmsApiError('SerializationException', `${name} must be base64`);
  }
  return Buffer.from(v, 'base64');
}

function required(input: Record<string, unknown>, name: string): unknown {
  const v = input[name];
  if (v === undefined || v === null) throw new KmsApiError('ValidationException', `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  return v;
}

function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new KmsApiError('SerializationException', `${name} must be a string`);
  return v;
}

function optionalInt(input: Record<string, unknown>, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new KmsApiError('SerializationException', `${name} must be an integer`);
  return v;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const seconds = (ms: bigint | number) => Number(ms) / 1000;
const ENCRYPTION_ALGORITHM = 'SYMMETRIC_DEFAULT';

function checkAlgorithm(input: Record<string, unknown>, name: string): void {
  const a = input[name];
  if (a !== undefined && a !== ENCRYPTION_ALGORITHM) throw new KmsApiError('ValidationException', `${name} is ${ENCRYPTION_ALGORITHM} (symmetric keys only)`);
}

function dataKeyBytes(input: Record<string, unknown>): number {
  const spec = optionalString(input, 'KeySpec');
  const n = optionalInt(input, 'NumberOfBytes');
  if (spec !== undefined && n !== undefined) throw new KmsApiError('ValidationException', 'give KeySpec or NumberOfBytes, not both');
  if (spec === undefined) {
    if (n === undefined) throw new KmsApiError('ValidationException', 'KeySpec or NumberOfBytes is required');
    return n;
  }
  if (spec === 'AES_256') return 32;
  if (spec === 'AES_128') return 16;
  throw new KmsApiError('ValidationException', 'KeySpec is AES_256 or AES_128');
}

function metadataOf(c: KmsOperationContext, key: KmsKey) {
  return keyMetadata(key, c.keys.region);
}

export const KMS_OPERATIONS: Record<string, Operation> = {
  async CreateKey(c) {
    const usage = optionalString(c.input, 'KeyUsage');
    if (usage !== undefined && usage !== 'ENCRYPT_DECRYPT') throw new KmsApiError('ValidationException', 'KeyUsage is ENCRYPT_DECRYPT (symmetric keys only)');
    for (const name of ['KeySpec', 'CustomerMasterKeySpec']) {
      const spec = optionalString(c.input, name);
      if (spec !== undefined && spec !== 'SYMMETRIC_DEFAULT') throw new KmsApiError('ValidationException', `${name} is SYMMETRIC_DEFAULT (symmetric keys only)`);
    }
    if (c.input['MultiRegion'] === true) throw new KmsApiError('UnsupportedOperationException', 'multi-Region keys are not supported');
    const origin = optionalString(c.input, 'Origin');
    if (origin !== undefined && origin !== 'AWS_KMS' && origin !== 'EXTERNAL') throw new KmsApiError('UnsupportedOperationException', `Origin ${origin} is not supported (AWS_KMS or EXTERNAL)`);
    const key = await c.admin.createKey(c.caller, {
      description: optionalString(c.input, 'Description'), origin: origin as 'AWS_KMS' | 'EXTERNAL' | undefined, policy: optionalString(c.input, 'Policy'),
    });
    return { KeyMetadata: metadataOf(c, key) };
  },
  async DescribeKey(c) {
    return { KeyMetadata: metadataOf(c, await c.admin.describeKey(c.caller, required(c.input, 'KeyId'))) };
  },
  async ListKeys(c) {
    const limit = optionalInt(c.input, 'Limit') ?? 100;
    if (limit < 1 || limit > 1000) throw new KmsApiError('ValidationException', 'Limit is 1 to 1000');
    const marker = optionalString(c.input, 'Marker');
    const start = marker === undefined ? 0 : Number(marker);
    if (!Number.isInteger(start) || start < 0) throw new KmsApiError('InvalidMarkerException', 'the Marker is not one ListKeys returned');
    const keys = await c.admin.listKeys(c.caller);
    const page = keys.slice(start, start + limit);
    const truncated = start + limit < keys.length;
    return {
      Keys: page.map((k) => ({ KeyId: k.keyId, KeyArn: c.keys.arnOf(k) })), Truncated: truncated,
      ...(truncated ? { NextMarker: String(start + limit) } : {}),
    };
  },
  async EnableKey(c) {
    await c.admin.enable(c.caller, required(c.input, 'KeyId'), true);
    return {};
  },
  async DisableKey(c) {
    await c.admin.enable(c.caller, required(c.input, 'KeyId'), false);
    return {};
  },
  async ScheduleKeyDeletion(c) {
    const key = await c.admin.scheduleDeletion(c.caller, required(c.input, 'KeyId'), c.input['PendingWindowInDays'] ?? undefined);
    return { KeyId: c.keys.arnOf(key), DeletionDate: seconds(key.deletionMs), KeyState: STATE_NAMES[key.state], PendingWindowInDays: key.pendingWindowDays };
  },
  async CancelKeyDeletion(c) {
    return { KeyId: c.keys.arnOf(await c.admin.cancelDeletion(c.caller, required(c.input, 'KeyId'))) };
  },
  async EnableKeyRotation(c) {
    await c.admin.setRotation(c.caller, required(c.input, 'KeyId'), true, optionalInt(c.input, 'RotationPeriodInDays'));
    return {};
  },
  async DisableKeyRotation(c) {
    await c.admin.setRotation(c.caller, required(c.input, 'KeyId'), false);
    return {};
  },
  async GetKeyRotationStatus(c) {
    const key = await c.admin.rotationStatus(c.caller, required(c.input, 'KeyId'));
    return {
      KeyRotationEnabled: key.rotationEnabled, KeyId: c.keys.arnOf(key),
      ...(key.rotationEnabled ? { RotationPeriodInDays: key.rotationPeriodDays, NextRotationDate: seconds(key.nextRotationMs) } : {}),
    };
  },
  async RotateKeyOnDemand(c) {
    return { KeyId: c.keys.arnOf(await c.admin.rotateOnDemand(c.caller, required(c.input, 'KeyId'))) };
  },
  async GetParametersForImport(c) {
    const p = await c.admin.getParametersForImport(c.caller, required(c.input, 'KeyId'), required(c.input, 'WrappingAlgorithm'), required(c.input, 'WrappingKeySpec'));
    return { KeyId: c.keys.arnOf(p.key), ImportToken: b64(p.importToken), PublicKey: b64(p.publicKey), ParametersValidTo: seconds(p.validToMs) };
  },
  async ImportKeyMaterial(c) {
    const model = optionalString(c.input, 'ExpirationModel');
    if (model !== undefined && model !== 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
      throw new KmsApiError('UnsupportedOperationException', 'imported key material does not expire here: ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE');
    }
    const key = await c.admin.importKeyMaterial(c.caller, required(c.input, 'KeyId'), blob(c.input, 'ImportToken')!, blob(c.input, 'EncryptedKeyMaterial')!);
    return { KeyId: c.keys.arnOf(key) };
  },
  async GenerateDataKey(c) {
    const dk = await c.keys.generateDataKeyFor(c.caller, required(c.input, 'KeyId'), dataKeyBytes(c.input), checkEncryptionContext(c.input['EncryptionContext']));
    return { CiphertextBlob: b64(dk.wrapped), Plaintext: b64(dk.plaintext), KeyId: dk.keyArn };
  },
  async GenerateDataKeyWithoutPlaintext(c) {
    const dk = await c.keys.generateDataKeyFor(c.caller, required(c.input, 'KeyId'), dataKeyBytes(c.input), checkEncryptionContext(c.input['EncryptionContext']), 'kms:GenerateDataKeyWithoutPlaintext');
    return { CiphertextBlob: b64(dk.wrapped), KeyId: dk.keyArn };
  },
  async Encrypt(c) {
    checkAlgorithm(c.input, 'EncryptionAlgorithm');
    const r = await c.keys.encrypt(c.caller, required(c.input, 'KeyId'), blob(c.input, 'Plaintext')!, checkEncryptionContext(c.input['EncryptionContext']));
    return { CiphertextBlob: b64(r.blob), KeyId: r.keyArn, EncryptionAlgorithm: ENCRYPTION_ALGORITHM };
  },
  async Decrypt(c) {
    checkAlgorithm(c.input, 'EncryptionAlgorithm');
    const r = await c.keys.decrypt(c.caller, blob(c.input, 'CiphertextBlob')!, checkEncryptionContext(c.input['EncryptionContext']), c.input['KeyId'] ?? undefined);
    return { Plaintext: b64(r.plaintext), KeyId: r.keyArn, EncryptionAlgorithm: ENCRYPTION_ALGORITHM };
  },
  async ReEncrypt(c) {
    checkAlgorithm(c.input, 'SourceEncryptionAlgorithm');
    checkAlgorithm(c.input, 'DestinationEncryptionAlgorithm');
    const r = await c.keys.reEncrypt(c.caller, blob(c.input, 'CiphertextBlob')!, checkEncryptionContext(c.input['SourceEncryptionContext']),
      required(c.input, 'DestinationKeyId'), checkEncryptionContext(c.input['DestinationEncryptionContext']), c.input['SourceKeyId'] ?? undefined);
    return {
      CiphertextBlob: b64(r.blob), SourceKeyId: r.sourceKeyArn, KeyId: r.keyArn,
      SourceEncryptionAlgorithm: ENCRYPTION_ALGORITHM, DestinationEncryptionAlgorithm: ENCRYPTION_ALGORITHM,
    };
  },
  async PutKeyPolicy(c) {
    await c.admin.putKeyPolicy(c.caller, required(c.input, 'KeyId'), c.input['PolicyName'] ?? undefined, required(c.input, 'Policy'));
    return {};
  },
  async GetKeyPolicy(c) {
    return { Policy: await c.admin.getKeyPolicy(c.caller, required(c.input, 'KeyId'), c.input['PolicyName'] ?? undefined), PolicyName: 'default' };
  },
  async CreateAlias(c) {
    await c.admin.createAlias(c.caller, required(c.input, 'AliasName'), required(c.input, 'TargetKeyId'));
    return {};
  },
  async DeleteAlias(c) {
    await c.admin.deleteAlias(c.caller, required(c.input, 'AliasName'));
    return {};
  },
  async ListAliases(c) {
    const aliases = await c.admin.listAliases(c.caller, c.input['KeyId'] ?? undefined);
    return {
      Aliases: aliases.map((a) => ({ AliasName: a.aliasName, AliasArn: a.arn, TargetKeyId: a.keyId, CreationDate: seconds(a.createdMs), LastUpdatedDate: seconds(a.createdMs) })),
      Truncated: false,
    };
  },
};

