// A KmsKeyStore over meta's real state machine (test/unit/meta/meta-harness.ts): every change is
// a command applied with the test's clock as time_ms, every read meta's own query — no sockets.
import { create } from '@bufbuild/protobuf';
import type { Command } from '../../../services/common/gen/zonestore/meta/v1/command_pb.ts';
import {
  CreateKmsAliasRequestSchema, CreateKmsKeyRequestSchema, DeleteKmsAliasRequestSchema, ImportKmsKeyMaterialRequestSchema,
  PutKmsImportParametersRequestSchema, RotateKmsKeyRequestSchema, UpdateKmsKeyRequestSchema,
  type CreateKmsAliasResponse, type CreateKmsKeyResponse, type ImportKmsKeyMaterialResponse, type KmsAlias,
  type KmsImportParameters, type KmsKey, type KmsKeyChange, type PutKmsImportParametersResponse, type RotateKmsKeyResponse,
  type UpdateKmsKeyResponse,
} from '../../../services/common/gen/zonestore/meta/v1/kms_pb.ts';
import { kmsErrorOfMeta } from '../../../services/gateway/kms/meta-kms-key-store.ts';
import type { KmsKeyStore } from '../../../services/kms/kms-key-store.ts';
import { getKmsKey, listKmsAliases, listKmsKeys } from '../../../services/meta/queries/kms-queries.ts';
import { isMetaError } from '../../../services/meta/meta-error.ts';
import type { MetaHarness } from '../meta/meta-harness.ts';

export class HarnessKmsKeyStore implements KmsKeyStore {
  constructor(private readonly h: MetaHarness, private readonly now: () => number) {}

  private async apply<T>(op: Command['op']): Promise<T> {
    const o = await this.h.run(op, { timeMs: this.now() });
    if (!o.ok) throw kmsErrorOfMeta(o.error);
    return o.value as T;
  }

  private async read<T>(q: () => Promise<T>): Promise<T | undefined> {
    try {
      return await q();
    } catch (err) {
      if (isMetaError(err, 'NoSuchKmsKey') || isMetaError(err, 'InvalidArgument')) return undefined;
      throw kmsErrorOfMeta(err);
    }
  }

  async getKey(keyId: string) {
    return (await this.read(() => getKmsKey(this.h.store, { keyId, accountId: '', aliasName: '' } as never)))?.key;
  }

  async getKeyByAlias(accountId: string, aliasName: string) {
    return (await this.read(() => getKmsKey(this.h.store, { keyId: '', accountId, aliasName } as never)))?.key;
  }

  async listKeys(accountId: string) {
    return (await listKmsKeys(this.h.store, { accountId } as never)).keys;
  }

  async listAliases(accountId: string, keyId?: string): Promise<KmsAlias[]> {
    return (await listKmsAliases(this.h.store, { accountId, keyId: keyId ?? '' } as never)).aliases;
  }

  async createKey(key: KmsKey, aliasName?: string) {
    return (await this.apply<CreateKmsKeyResponse>({ case: 'createKmsKey', value: create(CreateKmsKeyRequestSchema, { key, aliasName: aliasName ?? '' }) })).key!;
  }

  async updateKey(keyId: string, change: KmsKeyChange, args: { pendingWindowDays?: number; rotationPeriodDays?: number; policy?: string } = {}) {
    return (await this.apply<UpdateKmsKeyResponse>({ case: 'updateKmsKey', value: create(UpdateKmsKeyRequestSchema, { keyId, change, ...args }) })).key;
  }

  async rotateKey(keyId: string, wrappedMaterial: Uint8Array, onDemand: boolean, afterVersion: number) {
    const r = await this.apply<RotateKmsKeyResponse>({ case: 'rotateKmsKey', value: create(RotateKmsKeyRequestSchema, { keyId, wrappedMaterial, onDemand, afterVersion }) });
    return { key: r.key!, rotated: r.rotated };
  }

  async putImportParameters(keyId: string, params: KmsImportParameters) {
    return (await this.apply<PutKmsImportParametersResponse>({ case: 'putKmsImportParameters', value: create(PutKmsImportParametersRequestSchema, { keyId, import: params }) })).key!;
  }

  async importMaterial(keyId: string, importToken: Uint8Array, wrappedMaterial: Uint8Array) {
    return (await this.apply<ImportKmsKeyMaterialResponse>({ case: 'importKmsKeyMaterial', value: create(ImportKmsKeyMaterialRequestSchema, { keyId, importToken, wrappedMaterial }) })).key!;
  }

  async createAlias(accountId: string, aliasName: string, keyId: string) {
    return (await this.apply<CreateKmsAliasResponse>({ case: 'createKmsAlias', value: create(CreateKmsAliasRequestSchema, { alias: { accountId, aliasName, keyId } }) })).alias!;
  }

  async deleteAlias(accountId: string, aliasName: string) {
    await this.apply({ case: 'deleteKmsAlias', value: create(DeleteKmsAliasRequestSchema, { accountId, aliasName }) });
  }
}
