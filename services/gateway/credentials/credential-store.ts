// A fixed set of access keys, looked up by id (tests, tools). A running gateway with the root
// key uses meta-credential-store.ts, which adds the accounts' and users' keys stored in meta.
import { ROOT_PRINCIPAL, type RootCredentials } from './root-credentials.ts';

export interface GatewayCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** Who acts: owns the buckets the key creates. */
  principal: string;
}

export class StaticCredentialStore {
  private readonly byId = new Map<string, GatewayCredential>();

  constructor(credentials: readonly GatewayCredential[]) {
    for (const c of credentials) this.byId.set(c.accessKeyId, c);
  }

  static forRoot(root: RootCredentials): StaticCredentialStore {
    return new StaticCredentialStore([{ ...root, principal: ROOT_PRINCIPAL }]);
  }

  lookup = (accessKeyId: string): GatewayCredential | undefined => this.byId.get(accessKeyId);
}
