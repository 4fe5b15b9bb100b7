// The key service's records in meta (services/meta/commands/kms-commands.ts), over MetaClient;
// meta's refusals become the KMS API's errors here, once.
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  KmsKeyChange, type KmsAlias, type KmsImportParameters, type KmsKey, type KmsImportParametersSchema,
} from '../../common/gen/zonestore/meta/v1/kms_pb.ts';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import { isMetaError } from '../../meta/meta-error.ts';
import { KmsError } from '../../kms/data-key-service.ts';
import type { KmsKeyStore } from '../../kms/kms-key-store.ts';

export function kmsErrorOfMeta(err: unknown): unknown {
  if (!isMetaError(err)) return err;
  const message = err.message.replace(/^[A-Za-z]+: /, '');
  switch (err.code) {
    case 'NoSuchKmsKey': return new KmsError('NotFoundException', message);
    case 'KmsInvalidState':
      if (err.details['state'] === 'Unsupported') return new KmsError('KMSInvalidStateException', message, 'UnsupportedOperationException');
      return new KmsError('KMSInvalidStateException', message);
    case 'EntityAlreadyExists': return new KmsError('AlreadyExistsException', message);
    case 'LimitExceeded': return new KmsError('LimitExceededException', message);
    case 'InvalidArgument':
      if (err.details['reason'] === 'InvalidImportToken') return new KmsError('ValidationException', message, 'InvalidImportTokenException');
      if (err.details['reason'] === 'ExpiredImportToken') return new KmsError('ValidationException', message, 'ExpiredImportTokenException');
      return new KmsError('ValidationException', message);
    case 'NoSuchAccount': return new KmsError('NotFoundException', message);
    // Retryable cluster conditions: 503, which SDKs retry.
    case 'NotLeader': case 'ServiceUnavailable': case 'OutcomeUnknown':
      return new KmsError('KMSInternalException', `the key store is busy: ${message}`, 'DependencyTimeoutException');
    default: return new KmsError('KMSInternalException', `the key store is unavailable: ${message}`);
  }
}

async function kmsCall<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw kmsErrorOfMeta(err);
  }
}

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await kmsCall(p);
  } catch (err) {
    if (err instanceof KmsError && (err.code === 'NotFoundException' || err.code === 'ValidationException')) return undefined;
    throw err;
  }
}

export class MetaKmsKeyStore implements KmsKeyStore {
  constructor(private readonly meta: MetaClient) {}

  async getKey(keyId: string): Promise<KmsKey | undefined> {
    return (await orUndefined(this.meta.call('getKmsKey', { keyId })))?.key;
  }

  async getKeyByAlias(accountId: string, aliasName: string): Promise<KmsKey | undefined> {
    return (await orUndefined(this.meta.call('getKmsKey', { accountId, aliasName })))?.key;
  }

  async listKeys(accountId: string): Promise<KmsKey[]> {
    return (await kmsCall(this.meta.call('listKmsKeys', { accountId }))).keys;
  }

  async listAliases(accountId: string, keyId?: string): Promise<KmsAlias[]> {
    return (await kmsCall(this.meta.call('listKmsAliases', { accountId, keyId: keyId ?? '' }))).aliases;
  }

  async createKey(key: KmsKey, aliasName?: string): Promise<KmsKey> {
    return (await kmsCall(this.meta.call('createKmsKey', { key, aliasName: aliasName ?? '' }))).key!;
  }

  async updateKey(keyId: string, change: KmsKeyChange, args: { pendingWindowDays?: number; rotationPeriodDays?: number; policy?: string } = {}): Promise<KmsKey | undefined> {
    return (await kmsCall(this.meta.call('updateKmsKey', { keyId, change, ...args }))).key;
  }

  async rotateKey(keyId: string, wrappedMaterial: Uint8Array, onDemand: boolean, afterVersion: number): Promise<{ key: KmsKey; rotated: boolean }> {
    const res = await kmsCall(this.meta.call('rotateKmsKey', { keyId, wrappedMaterial, onDemand, afterVersion }));
    return { key: res.key!, rotated: res.rotated };
  }

  async putImportParameters(keyId: string, params: KmsImportParameters): Promise<KmsKey> {
    return (await kmsCall(this.meta.call('putKmsImportParameters', { keyId, import: params as MessageInitShape<typeof KmsImportParametersSchema> }))).key!;
  }

  async importMaterial(keyId: string, importToken: Uint8Array, wrappedMaterial: Uint8Array): Promise<KmsKey> {
    return (await kmsCall(this.meta.call('importKmsKeyMaterial', { keyId, importToken, wrappedMaterial }))).key!;
  }

  async createAlias(accountId: string, aliasName: string, keyId: string): Promise<KmsAlias> {
    return (await kmsCall(this.meta.call('createKmsAlias', { alias: { accountId, aliasName, keyId } }))).alias!;
  }

  async deleteAlias(accountId: string, aliasName: string): Promise<void> {
    await kmsCall(this.meta.call('deleteKmsAlias', { accountId, aliasName }));
  }
}
