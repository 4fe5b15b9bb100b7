// The key service's data plane: finding a key from a reference (id, ARN, alias) with the
// bounded cache, checking the caller, and the envelope operations — GenerateDataKey, Encrypt,
// Decrypt, ReEncrypt — plus the DataKeyService the gateway's SSE uses. Lifecycle operations
// (create, enable, rotate, import, policies, aliases) are key-administration.ts.
//
// Time-driven changes are proposed here, never decided by meta's clock: a key used after its
// rotation is due gets a new version first (RotateKmsKey, applied only if still due, so racing
// gateways add one version); a key read after its deletion date answers NotFound and its
// deletion is proposed; sweepDue() does both for every key (the gateway runs it periodically).
import { randomBytes, randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import {
  KmsKeyChange, KmsKeyManager, KmsKeyOrigin, KmsKeySchema, KmsKeyState, KmsKeyVersionSchema, type KmsKey,
} from '../common/gen/zonestore/meta/v1/kms_pb.ts';
import { openBlob, parseBlob, sealBlob } from './ciphertext-blob.ts';
import {
  KmsError, type DataKey, type DataKeyService, type KmsAction, type KmsCaller,
} from './data-key-service.ts';
import type { EncryptionContext } from './encryption-context.ts';
import { KeyCache } from './key-cache.ts';
import {
  DEFAULT_KEY_ALIAS, deletionDue, keyArn, newestVersion, parseKeyReference, rotationDue, SERVICE_ACCOUNT_ID, SERVICE_KEY_ALIAS,
  unusableError, type KeyReference,
} from './key-records.ts';
import type { KmsKeyStore } from './kms-key-store.ts';
import { KEY_MATERIAL_BYTES, MAX_DATA_KEY_BYTES, MAX_ENCRYPT_PLAINTEXT_BYTES } from './kms-limits.ts';
import { RootKeyWrapper } from './root-key-wrapping.ts';
import { recordKmsCall } from '../common/metrics/index.ts';

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface KeyServiceOptions {
  store: KmsKeyStore;
  /** 32 bytes: wraps every key's material (the same on every gateway of a cluster). */
  rootKey: Buffer;
  region: string;
  now?: () => number;
  /** Rotation period, days, of the lazily created default keys and the service key (default 365). */
  managedKeyRotationDays?: number;
  recordTtlMs?: number;
  materialTtlMs?: number;
  /** Checks a key policy document before it is stored; returns an error message or undefined (the gateway parses with its evaluator). */
  checkPolicy?: (text: string) => string | undefined;
  onBackgroundError?: (err: unknown, what: string) => void;
}

export class KeyService implements DataKeyService {
  readonly store: KmsKeyStore;
  readonly region: string;
  readonly wrapper: RootKeyWrapper;
  readonly cache: KeyCache;
  readonly now: () => number;
  readonly managedKeyRotationDays: number;
  readonly checkPolicy?: (text: string) => string | undefined;
  private readonly onBackgroundError: (err: unknown, what: string) => void;

  constructor(opts: KeyServiceOptions) {
    this.store = opts.store;
    this.region = opts.region;
    this.wrapper = new RootKeyWrapper(opts.rootKey);
    this.cache = new KeyCache({ recordTtlMs: opts.recordTtlMs, materialTtlMs: opts.materialTtlMs });
    this.now = opts.now ?? Date.now;
    this.managedKeyRotationDays = opts.managedKeyRotationDays ?? 365;
    this.checkPolicy = opts.checkPolicy;
    this.onBackgroundError = opts.onBackgroundError ?? (() => {});
  }

  arnOf(key: KmsKey): string {
    return keyArn(this.region, key.accountId, key.keyId);
  }

  /** Remembers a record a change returned, so this gateway sees its own changes at once. */
  remember(key: KmsKey | undefined, keyId?: string): void {
    if (key) {
      this.cache.forgetKey(key.keyId);
      this.cache.putRecord(key, this.now());
    } else if (keyId) {
      this.cache.forgetKey(keyId);
    }
  }

  /** A key record by id (cached); undefined when absent or past its deletion date. */
  async loadKey(keyId: string): Promise<KmsKey | undefined> {
    if (!KEY_ID.test(keyId)) return undefined;
    const now = this.now();
    let key = this.cache.record(keyId, now);
    if (!key) {
      key = await this.store.getKey(keyId);
      if (!key) return undefined;
      this.cache.putRecord(key, now);
    }
    if (deletionDue(key, now)) {
      this.background(this.store.updateKey(keyId, KmsKeyChange.DELETE_DUE).then(() => this.remember(undefined, keyId)), 'delete due key');
      return undefined;
    }
    return key;
  }

  private async keyOfAlias(accountId: string, aliasName: string): Promise<KmsKey | undefined> {
    const now = this.now();
    const cachedId = this.cache.alias(accountId, aliasName, now);
    if (cachedId) return this.loadKey(cachedId);
    const key = await this.store.getKeyByAlias(accountId, aliasName);
    if (!key) return undefined;
    this.cache.putAlias(accountId, aliasName, key.keyId, now);
    this.cache.putRecord(key, now);
    return deletionDue(key, now) ? this.loadKey(key.keyId) : key;
  }

  /**
   * The key a reference names, for `callerAccount`: bare ids and aliases are the caller's own
   * account's (other accounts' keys are named by ARN). `createDefault`: the account's default
   * key (alias/aws/s3) is created on first use.
   */
  async resolve(ref: KeyReference, callerAccount: string, createDefault = false): Promise<KmsKey> {
    const account = ref.accountId ?? callerAccount;
    let key: KmsKey | undefined;
    if (ref.kind === 'id') {
      key = await this.loadKey(ref.keyId);
      if (key && key.accountId !== account) key = undefined;
    } else {
      key = await this.keyOfAlias(account, ref.aliasName);
      if (!key && createDefault && ref.aliasName === DEFAULT_KEY_ALIAS && account === callerAccount) {
        key = await this.managedKey(account, DEFAULT_KEY_ALIAS, KmsKeyManager.AWS, 'Default key that protects my S3 objects when no other key is defined');
      }
    }
    // The service key is the cluster's (SSE-S3 reaches it through managedKey): no caller names it.
    if (!key || key.manager === KmsKeyManager.SERVICE) {
      const name = ref.kind === 'id' ? ref.keyId : ref.aliasName;
      throw new KmsError('NotFoundException', ref.kind === 'id' ? `Key '${keyArn(this.region, account, name)}' does not exist` : `Alias '${name}' is not found.`);
    }
    return key;
  }

  /** A service-managed key behind an alias, created (with its alias, in one command) if absent. */
  async managedKey(accountId: string, aliasName: string, manager: KmsKeyManager, description: string): Promise<KmsKey> {
    const existing = await this.keyOfAlias(accountId, aliasName);
    if (existing) return existing;
    const keyId = randomUUID();
    const material = randomBytes(KEY_MATERIAL_BYTES);
    const record = create(KmsKeySchema, {
      keyId, accountId, description, origin: KmsKeyOrigin.AWS_KMS, manager, state: KmsKeyState.ENABLED,
      rotationEnabled: true, rotationPeriodDays: this.managedKeyRotationDays,
      versions: [create(KmsKeyVersionSchema, { version: 1, wrappedMaterial: this.wrapper.wrap(material, { kind: 'material', keyId, version: 1 }) })],
    });
    try {
      const key = await this.store.createKey(record, aliasName);
      this.cache.putMaterial(keyId, 1, material, this.now());
      this.remember(key);
      this.cache.putAlias(accountId, aliasName, keyId, this.now());
      return key;
    } catch (err) {
      // Another gateway created it first: use theirs.
      if (err instanceof KmsError && err.code === 'AlreadyExistsException') {
        const theirs = await this.store.getKeyByAlias(accountId, aliasName);
        if (theirs) return theirs;
      }
      throw err;
    }
  }

  /** Throws AccessDeniedException unless the caller may do `action` on `key`. */
  authorize(caller: KmsCaller, action: KmsAction, key: KmsKey): void {
    const arn = this.arnOf(key);
    const allowed = caller.authorizeKey
      ? caller.authorizeKey(action, { arn, accountId: key.accountId, policy: key.policy })
      : caller.mayDo(action, arn) === 'allow';
    if (!allowed) throw new KmsError('AccessDeniedException', `The caller is not authorized to perform: ${action} on resource: ${arn} because no policy allows it`);
  }

  /** The unwrapped material of one version (cached for KEY_MATERIAL_TTL_MS). */
  material(key: KmsKey, version: number): Buffer {
    const now = this.now();
    const cached = this.cache.material(key.keyId, version, now);
    if (cached) return cached;
    const v = key.versions.find((x) => x.version === version);
    if (!v) throw new KmsError('InvalidCiphertextException', 'the ciphertext names a key version that does not exist');
    const m = this.wrapper.unwrap(v.wrappedMaterial, { kind: 'material', keyId: key.keyId, version });
    this.cache.putMaterial(key.keyId, version, m, now);
    return m;
  }

  /** Wraps fresh material for the key's next version. */
  newVersionMaterial(key: KmsKey): { material: Buffer; wrapped: Buffer; version: number } {
    const version = newestVersion(key) + 1;
    const material = randomBytes(KEY_MATERIAL_BYTES);
    return { material, wrapped: this.wrapper.wrap(material, { kind: 'material', keyId: key.keyId, version }), version };
  }

  /** The key as it should encrypt now: a due rotation is proposed first. */
  private async forEncryption(key: KmsKey): Promise<KmsKey> {
    if (!rotationDue(key, this.now())) return key;
    try {
      return await this.rotateScheduled(key);
    } catch (err) {
      this.onBackgroundError(err, 'scheduled rotation');
      return key;
    }
  }

  async rotateScheduled(key: KmsKey): Promise<KmsKey> {
    const next = this.newVersionMaterial(key);
    const res = await this.store.rotateKey(key.keyId, next.wrapped, false, newestVersion(key));
    if (res.rotated) this.cache.putMaterial(key.keyId, next.version, next.material, this.now());
    this.remember(res.key);
    return res.key;
  }

  usable(key: KmsKey): void {
    const err = unusableError(key, this.arnOf(key));
    if (err) throw err;
  }

  private seal(key: KmsKey, plaintext: Uint8Array, context: EncryptionContext): Buffer {
    const version = newestVersion(key);
    return sealBlob(this.material(key, version), key.keyId, version, plaintext, context);
  }

  async encrypt(caller: KmsCaller, keyId: unknown, plaintext: Buffer, context: EncryptionContext): Promise<{ keyArn: string; blob: Buffer }> {
    if (plaintext.length === 0 || plaintext.length > MAX_ENCRYPT_PLAINTEXT_BYTES) throw new KmsError('ValidationException', `Plaintext has 1 to ${MAX_ENCRYPT_PLAINTEXT_BYTES} bytes`);
    let key = await this.resolve(parseKeyReference(keyId), caller.accountId, true);
    this.authorize(caller, 'kms:Encrypt', key);
    this.usable(key);
    key = await this.forEncryption(key);
    return { keyArn: this.arnOf(key), blob: this.seal(key, plaintext, context) };
  }

  async generateDataKeyFor(caller: KmsCaller, keyId: unknown, numberOfBytes: number, context: EncryptionContext, action: KmsAction = 'kms:GenerateDataKey'): Promise<DataKey> {
    if (!Number.isInteger(numberOfBytes) || numberOfBytes < 1 || numberOfBytes > MAX_DATA_KEY_BYTES) {
      throw new KmsError('ValidationException', `NumberOfBytes is 1 to ${MAX_DATA_KEY_BYTES}`);
    }
    let key = await this.resolve(parseKeyReference(keyId ?? DEFAULT_KEY_ALIAS), caller.accountId, true);
    this.authorize(caller, action, key);
    this.usable(key);
    key = await this.forEncryption(key);
    const plaintext = randomBytes(numberOfBytes);
    return { keyArn: this.arnOf(key), plaintext, wrapped: this.seal(key, plaintext, context) };
  }

  /** Decrypt: `expectedKeyId` (if given) must name the key the blob says. */
  async decrypt(caller: KmsCaller | undefined, blobBytes: Uint8Array, context: EncryptionContext, expectedKeyId?: unknown): Promise<{ keyArn: string; plaintext: Buffer; key: KmsKey }> {
    const parsed = parseBlob(blobBytes);
    if (!parsed.ok) throw new KmsError('InvalidCiphertextException', `The ciphertext is invalid: ${parsed.reason}`);
    const blob = parsed.blob;
    const key = await this.loadKey(blob.keyId);
    if (!key) throw new KmsError('NotFoundException', `the key that encrypted this ciphertext (${blob.keyId}) does not exist`);
    if (expectedKeyId !== undefined && expectedKeyId !== null) {
      const want = await this.resolve(parseKeyReference(expectedKeyId), caller?.accountId ?? SERVICE_ACCOUNT_ID);
      if (want.keyId !== key.keyId) throw new KmsError('IncorrectKeyException', 'The key ID in the request does not identify the KMS key that encrypted the ciphertext.');
    }
    if (caller) {
      this.authorize(caller, 'kms:Decrypt', key);
      if (key.manager === KmsKeyManager.SERVICE) throw new KmsError('AccessDeniedException', 'the service key decrypts only for the service');
    } else if (key.manager !== KmsKeyManager.SERVICE) {
      throw new KmsError('AccessDeniedException', 'a customer key is decrypted only for a caller');
    }
    this.usable(key);
    const plaintext = openBlob(this.material(key, blob.version), blob, context);
    if (!plaintext) throw new KmsError('InvalidCiphertextException', 'The ciphertext, its encryption context or its key does not authenticate.');
    return { keyArn: this.arnOf(key), plaintext, key };
  }

  async reEncrypt(caller: KmsCaller, blob: Uint8Array, sourceContext: EncryptionContext, destinationKeyId: unknown, destinationContext: EncryptionContext, sourceKeyId?: unknown) {
    const source = await this.decryptAs(caller, 'kms:ReEncryptFrom', blob, sourceContext, sourceKeyId);
    let dest = await this.resolve(parseKeyReference(destinationKeyId), caller.accountId, true);
    this.authorize(caller, 'kms:ReEncryptTo', dest);
    this.usable(dest);
    dest = await this.forEncryption(dest);
    return { sourceKeyArn: source.keyArn, keyArn: this.arnOf(dest), blob: this.seal(dest, source.plaintext, destinationContext) };
  }

  /** Decrypt checked for another action than kms:Decrypt (ReEncryptFrom). */
  private async decryptAs(caller: KmsCaller, action: KmsAction, blob: Uint8Array, context: EncryptionContext, expectedKeyId?: unknown) {
    const asAction: KmsCaller = {
      accountId: caller.accountId,
      mayDo: (a, arn) => caller.mayDo(a === 'kms:Decrypt' ? action : a, arn),
      ...(caller.authorizeKey ? { authorizeKey: (a: KmsAction, k: { arn: string; accountId: string; policy: string }) => caller.authorizeKey!(a === 'kms:Decrypt' ? action : a, k) } : {}),
    };
    return this.decrypt(asAction, blob, context, expectedKeyId);
  }

  // ---- DataKeyService (SSE) -------------------------------------------------------------

  async generateDataKey(caller: KmsCaller, req: { keyId?: string; context: Record<string, string> }): Promise<DataKey> {
    return counted('SseGenerateDataKey', this.generateDataKeyFor(caller, req.keyId, KEY_MATERIAL_BYTES, req.context));
  }

  generateServiceDataKey(context: Record<string, string>): Promise<DataKey> {
    return counted('SseGenerateServiceDataKey', this.serviceDataKey(context));
  }

  private async serviceDataKey(context: Record<string, string>): Promise<DataKey> {
    let key = await this.managedKey(SERVICE_ACCOUNT_ID, SERVICE_KEY_ALIAS, KmsKeyManager.SERVICE, 'zonestore SSE-S3 / SSE-OSS service master key');
    this.usable(key);
    key = await this.forEncryption(key);
    const plaintext = randomBytes(KEY_MATERIAL_BYTES);
    return { keyArn: this.arnOf(key), plaintext, wrapped: this.seal(key, plaintext, context) };
  }

  async decryptDataKey(caller: KmsCaller | undefined, wrapped: Buffer, context: Record<string, string>): Promise<{ keyArn: string; plaintext: Buffer }> {
    const { keyArn: arn, plaintext } = await counted('SseDecryptDataKey', this.decrypt(caller, wrapped, context));
    return { keyArn: arn, plaintext };
  }

  // ---- time-driven upkeep ---------------------------------------------------------------

  /** Rotates every key whose rotation is due and deletes every key whose deletion is due. */
  async sweepDue(): Promise<{ rotated: number; deleted: number }> {
    let rotated = 0;
    let deleted = 0;
    const now = this.now();
    for (const key of await this.store.listKeys('')) {
      try {
        if (deletionDue(key, now)) {
          await this.store.updateKey(key.keyId, KmsKeyChange.DELETE_DUE);
          this.remember(undefined, key.keyId);
          deleted++;
        } else if (rotationDue(key, now)) {
          if (newestVersion(await this.rotateScheduled(key)) > newestVersion(key)) rotated++;
        }
      } catch (err) {
        this.onBackgroundError(err, `sweep of key ${key.keyId}`);
      }
    }
    return { rotated, deleted };
  }

  private background(p: Promise<unknown>, what: string): void {
    p.catch((err: unknown) => this.onBackgroundError(err, what));
  }
}

/** Counts one SSE call (zonestore_kms_requests_total): `ok`, or the refusal's KMS error type. */
async function counted<T>(operation: string, call: Promise<T>): Promise<T> {
  try {
    const r = await call;
    recordKmsCall(operation, 'ok');
    return r;
  } catch (err) {
    recordKmsCall(operation, err instanceof KmsError ? (err.awsType ?? err.code) : 'KMSInternalException');
    throw err;
  }
}
