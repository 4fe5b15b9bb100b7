// What the gateway's server-side encryption asks of the key service (services/kms/). The KMS
// implements it over meta (key material wrapped by the root key); SSE code depends only on this.
//
//   const dk = await keys.generateDataKey(caller, { keyId: 'alias/app', context });   // SSE-KMS PUT
//   const dk = await keys.generateServiceDataKey(context);                           // SSE-S3 / SSE-OSS PUT
//   const { plaintext } = await keys.decryptDataKey(caller, dk.wrapped, context);     // GET
// The wrapped blob is opaque to callers: it names the key and key version that wrapped it.

/** The kms:* actions a caller can be checked for (IAM/RAM policies and key policies). */
export type KmsAction =
  | 'kms:CreateKey' | 'kms:DescribeKey' | 'kms:ListKeys' | 'kms:EnableKey' | 'kms:DisableKey'
  | 'kms:ScheduleKeyDeletion' | 'kms:CancelKeyDeletion' | 'kms:EnableKeyRotation' | 'kms:DisableKeyRotation'
  | 'kms:GetKeyRotationStatus' | 'kms:RotateKeyOnDemand' | 'kms:GetParametersForImport' | 'kms:ImportKeyMaterial'
  | 'kms:GenerateDataKey' | 'kms:GenerateDataKeyWithoutPlaintext' | 'kms:Encrypt' | 'kms:Decrypt' | 'kms:ReEncryptFrom' | 'kms:ReEncryptTo'
  | 'kms:PutKeyPolicy' | 'kms:GetKeyPolicy' | 'kms:CreateAlias' | 'kms:DeleteAlias' | 'kms:ListAliases';

/** Who asks. SSE-KMS passes the request's principal; the KMS checks `mayDo` together with the key's policy. */
export interface KmsCaller {
  /** The account whose keys are addressed by bare ids and aliases (for SSE: the bucket owner's). */
  accountId: string;
  /** IAM/RAM policy decision for this caller (the gateway's authorize()); 'implicit' = no statement matched. */
  mayDo(action: KmsAction, keyArn: string): 'allow' | 'deny' | 'implicit';
  /**
   * The whole decision for an action on a key: the caller's IAM/RAM policies together with the
   * key's policy (JSON; '' = the default policy, the owning account has full access). The
   * gateway's kmsCallerFor() sets it (services/gateway/kms/). Absent: allowed iff mayDo says 'allow'.
   */
  authorizeKey?(action: KmsAction, key: { arn: string; accountId: string; policy: string }): boolean;
}

export interface DataKey {
  /** The full key ARN (arn:aws:kms:<region>:<account>:key/<id>) that wrapped it. */
  keyArn: string;
  /** 32 bytes (AES-256); never stored. */
  plaintext: Buffer;
  /** Opaque, self-describing (key id and version inside); what the object's manifest stores. */
  wrapped: Buffer;
}

/** Error codes as AWS KMS names them (the gateway maps them to S3/OSS errors). */
export type KmsErrorCode =
  | 'NotFoundException' | 'DisabledException' | 'KMSInvalidStateException' | 'AccessDeniedException'
  | 'InvalidCiphertextException' | 'IncorrectKeyException' | 'InvalidKeyUsageException'
  | 'ValidationException' | 'LimitExceededException' | 'AlreadyExistsException'
  | 'KMSNotConfigured' | 'KMSInternalException';

/** Finer AWS KMS error names the KMS API answers with (KmsError.awsType); each has a KmsErrorCode as its kind. */
export type KmsApiErrorType =
  | 'UnsupportedOperationException' | 'InvalidImportTokenException' | 'ExpiredImportTokenException'
  | 'IncorrectKeyMaterialException' | 'InvalidAliasNameException' | 'MalformedPolicyDocumentException'
  | 'DependencyTimeoutException';

export class KmsError extends Error {
  /** `awsType`: the KMS API's finer error name, when it has one (the JSON `__type`); `code` stays the kind. */
  constructor(readonly code: KmsErrorCode, message: string, readonly awsType?: KmsApiErrorType) {
    super(message);
    this.name = 'KmsError';
  }
}

export interface DataKeyService {
  /** SSE-KMS: a fresh data key under `keyId` (id, ARN or alias/…) or, absent, the account's default key. */
  generateDataKey(caller: KmsCaller, req: { keyId?: string; context: Record<string, string> }): Promise<DataKey>;
  /** SSE-S3 / SSE-OSS: a fresh data key under the service master key (rotating); no caller checks. */
  generateServiceDataKey(context: Record<string, string>): Promise<DataKey>;
  /** Unwraps a stored data key; `caller` undefined = a service-key (SSE-S3) blob. Fails with KmsError. */
  decryptDataKey(caller: KmsCaller | undefined, wrapped: Buffer, context: Record<string, string>): Promise<{ keyArn: string; plaintext: Buffer }>;
}
