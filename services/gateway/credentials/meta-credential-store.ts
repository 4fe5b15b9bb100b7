// The access keys the gateway accepts: the root key (static, from the file or environment) and
// every key stored in meta, fetched by id with one linearizable read (the key, its user and the
// user's policies) and cached briefly, misses included. A disabled or deleted key therefore
// stops working everywhere within CREDENTIAL_CACHE_MS; the gateway that made the change drops
// its entry at once (forget()).
import type { Credential } from '../auth/index.ts';
import { AccessKeyStatus } from '../../common/gen/zonestore/meta/v1/identities_pb.ts';
import { isMetaError } from '../../meta/meta-error.ts';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import { ROOT_PRINCIPAL, type RootCredentials } from './root-credentials.ts';
import type { SecretSealer } from './secret-sealing.ts';

/** How long a looked-up key (or its absence) is trusted. */
export const CREDENTIAL_CACHE_MS = 1_000;
/** Most cached keys; the oldest entries go first. */
export const MAX_CACHED_CREDENTIALS = 10_000;
/** Ids longer than any key's are refused without a lookup. */
const MAX_ACCESS_KEY_ID_LENGTH = 128;

interface Entry {
  expiresMs: number;
  credential: Promise<Credential | undefined>;
}

export class MetaCredentialStore {
  private readonly cache = new Map<string, Entry>();
  private readonly root: Credential;

  constructor(
    root: RootCredentials,
    private readonly meta: Pick<MetaClient, 'call'>,
    readonly sealer: SecretSealer,
    private readonly now: () => number = Date.now,
  ) {
    this.root = { ...root, principal: ROOT_PRINCIPAL };
  }

  get rootAccessKeyId(): string {
    return this.root.accessKeyId;
  }

  lookup = (accessKeyId: string): Promise<Credential | undefined> => {
    if (accessKeyId === this.root.accessKeyId) return Promise.resolve(this.root);
    if (accessKeyId === '' || accessKeyId.length > MAX_ACCESS_KEY_ID_LENGTH || !/^[A-Za-z0-9]+$/.test(accessKeyId)) return Promise.resolve(undefined);
    const now = this.now();
    const hit = this.cache.get(accessKeyId);
    if (hit && hit.expiresMs > now) return hit.credential;
    const credential = this.fetch(accessKeyId);
    this.cache.delete(accessKeyId);
    if (this.cache.size >= MAX_CACHED_CREDENTIALS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(accessKeyId, { expiresMs: now + CREDENTIAL_CACHE_MS, credential });
    // A failed lookup (meta unreachable) is not remembered.
    credential.catch(() => this.cache.delete(accessKeyId));
    return credential;
  };

  /** Drops a key from the cache (this gateway changed it). */
  forget(accessKeyId: string): void {
    this.cache.delete(accessKeyId);
  }

  private async fetch(accessKeyId: string): Promise<Credential | undefined> {
    let res;
    try {
      res = await this.meta.call('getAccessKey', { accessKeyId });
    } catch (err) {
      if (isMetaError(err, 'NoSuchAccessKey')) return undefined;
      throw err;
    }
    const k = res.accessKey;
    if (!k || k.status !== AccessKeyStatus.ACTIVE) return undefined;
    if (k.userName !== '' && !res.user) return undefined;
    const secretAccessKey = this.sealer.open(k.accessKeyId, k.encryptedSecret);
    if (secretAccessKey === undefined) return undefined;
    return {
      accessKeyId: k.accessKeyId, secretAccessKey, principal: k.accountId,
      ...(res.user ? { user: { userId: res.user.id, userName: res.user.name, admin: res.user.admin, policies: { ...res.user.policies } } } : {}),
    };
  }
}
