// Where the key service keeps its records: the gateway implements this over meta
// (services/gateway/kms/meta-kms-key-store.ts), tests may over a map. Refusals arrive as
// KmsError (NotFoundException, KMSInvalidStateException, AlreadyExistsException, …).
import type { KmsAlias, KmsImportParameters, KmsKey, KmsKeyChange } from '../common/gen/zonestore/meta/v1/kms_pb.ts';

export interface KmsKeyStore {
  /** undefined when no such key. */
  getKey(keyId: string): Promise<KmsKey | undefined>;
  getKeyByAlias(accountId: string, aliasName: string): Promise<KmsKey | undefined>;
  /** accountId '' = every account's keys. */
  listKeys(accountId: string): Promise<KmsKey[]>;
  listAliases(accountId: string, keyId?: string): Promise<KmsAlias[]>;
  createKey(key: KmsKey, aliasName?: string): Promise<KmsKey>;
  /** undefined after a due deletion. */
  updateKey(keyId: string, change: KmsKeyChange, args?: { pendingWindowDays?: number; rotationPeriodDays?: number; policy?: string }): Promise<KmsKey | undefined>;
  rotateKey(keyId: string, wrappedMaterial: Uint8Array, onDemand: boolean, afterVersion: number): Promise<{ key: KmsKey; rotated: boolean }>;
  putImportParameters(keyId: string, params: KmsImportParameters): Promise<KmsKey>;
  importMaterial(keyId: string, importToken: Uint8Array, wrappedMaterial: Uint8Array): Promise<KmsKey>;
  createAlias(accountId: string, aliasName: string, keyId: string): Promise<KmsAlias>;
  deleteAlias(accountId: string, aliasName: string): Promise<void>;
}
