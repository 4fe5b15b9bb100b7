// Pure rules over key records: ARNs, how a reference (id, ARN, alias, alias ARN) is read, which
// states allow cryptographic use, what is due, and the default key policy.
import { KmsKeyManager, KmsKeyOrigin, KmsKeyState, type KmsKey } from '../common/gen/zonestore/meta/v1/kms_pb.ts';
import { KmsError } from './data-key-service.ts';

/** The account's default key for SSE-KMS without a key id (AWS's name for it). */
export const DEFAULT_KEY_ALIAS = 'alias/aws/s3';
/** The cluster's SSE-S3 / SSE-OSS master key, in the root account. */
export const SERVICE_KEY_ALIAS = 'alias/zonestore/sse-s3';
export const SERVICE_ACCOUNT_ID = 'root';

export const STATE_NAMES: Record<KmsKeyState, string> = {
  [KmsKeyState.UNSPECIFIED]: 'Unavailable', [KmsKeyState.ENABLED]: 'Enabled', [KmsKeyState.DISABLED]: 'Disabled',
  [KmsKeyState.PENDING_DELETION]: 'PendingDeletion', [KmsKeyState.PENDING_IMPORT]: 'PendingImport',
};

export function keyArn(region: string, accountId: string, keyId: string): string {
  return `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

export function aliasArn(region: string, accountId: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${accountId}:${aliasName}`;
}

export type KeyReference =
  | { kind: 'id'; keyId: string; accountId?: string }
  | { kind: 'alias'; aliasName: string; accountId?: string };

const ARN = /^(?:arn:aws[a-z-]*|acs):kms:[^:]*:([^:]+):(key\/.+|alias\/.+)$/;

/** Reads a KeyId parameter: a key id, `alias/…`, or either's ARN. */
export function parseKeyReference(ref: unknown): KeyReference {
  if (typeof ref !== 'string' || ref.length === 0 || ref.length > 2048) throw new KmsError('ValidationException', 'KeyId must be a key id, key ARN, alias name or alias ARN');
  const m = ARN.exec(ref);
  if (m) {
    const [, accountId, rest] = m as unknown as [string, string, string];
    return rest.startsWith('key/') ? { kind: 'id', keyId: rest.slice(4), accountId } : { kind: 'alias', aliasName: rest, accountId };
  }
  if (ref.startsWith('alias/')) return { kind: 'alias', aliasName: ref };
  return { kind: 'id', keyId: ref };
}

/** The owning account's root has full access; IAM policies of the account may grant more. */
export function defaultKeyPolicy(accountId: string): string {
  return JSON.stringify({
    Version: '2012-10-17', Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }],
  });
}

/** The error a cryptographic operation gets on a key that is not Enabled; undefined when usable. */
export function unusableError(key: KmsKey, arn: string): KmsError | undefined {
  switch (key.state) {
    case KmsKeyState.ENABLED: return undefined;
    case KmsKeyState.DISABLED: return new KmsError('DisabledException', `${arn} is disabled.`);
    default: return new KmsError('KMSInvalidStateException', `${arn} is pending ${key.state === KmsKeyState.PENDING_IMPORT ? 'import' : 'deletion'}.`);
  }
}

export function rotationDue(key: KmsKey, nowMs: number): boolean {
  return key.state === KmsKeyState.ENABLED && key.origin === KmsKeyOrigin.AWS_KMS && key.rotationEnabled && key.nextRotationMs > 0n && BigInt(nowMs) >= key.nextRotationMs;
}

export function deletionDue(key: KmsKey, nowMs: number): boolean {
  return key.state === KmsKeyState.PENDING_DELETION && BigInt(nowMs) >= key.deletionMs;
}

export function newestVersion(key: KmsKey): number {
  return key.versions.at(-1)?.version ?? 0;
}

/** DescribeKey's KeyMetadata (AWS field names). */
export function keyMetadata(key: KmsKey, region: string): Record<string, unknown> {
  const arn = keyArn(region, key.accountId, key.keyId);
  const seconds = (ms: bigint) => Number(ms) / 1000;
  return {
    AWSAccountId: key.accountId, KeyId: key.keyId, Arn: arn, CreationDate: seconds(key.createdMs),
    Enabled: key.state === KmsKeyState.ENABLED, Description: key.description, KeyUsage: 'ENCRYPT_DECRYPT',
    KeyState: STATE_NAMES[key.state], Origin: key.origin === KmsKeyOrigin.EXTERNAL ? 'EXTERNAL' : 'AWS_KMS',
    KeyManager: key.manager === KmsKeyManager.CUSTOMER ? 'CUSTOMER' : 'AWS',
    CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: false,
    ...(key.state === KmsKeyState.PENDING_DELETION ? { DeletionDate: seconds(key.deletionMs), PendingDeletionWindowInDays: key.pendingWindowDays } : {}),
    ...(key.origin === KmsKeyOrigin.EXTERNAL ? { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' } : {}),
  };
}
