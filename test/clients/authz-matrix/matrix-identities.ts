// The matrix's identities, made through the admin API with the root key: users of the root
// account (alice with a policy, bob without, carol with an explicit Deny) and a second account B
// with its own key, a user with a policy (dave) and one without (erin).
import type { RootCredentials } from '../../../services/gateway/credentials/root-credentials.ts';
import { AdminClient } from './admin-client.ts';
import type { PrincipalName } from './matrix-cases.ts';
import { ALICE_POLICY, CAROL_POLICY, DAVE_POLICY } from './matrix-setup.ts';

export interface MatrixIdentities {
  readonly credentials: Partial<Record<PrincipalName, RootCredentials>>;
  readonly otherAccountId: string;
  readonly bobArn: string;
}

interface NewKey { accessKey: { accessKeyId: string; secretAccessKey: string } }
interface NewUser { user: { arn: string } }
interface NewAccount { account: { id: string }; accessKey: { accessKeyId: string; secretAccessKey: string } }

/** Whether the gateway answers the admin API (it landed in stages). */
export async function adminApiAvailable(endpoint: string, root: RootCredentials): Promise<boolean> {
  const a = await new AdminClient(endpoint, root).call('GET', '/whoami');
  return a.status === 200;
}

async function user(admin: AdminClient, name: string, policy?: string): Promise<{ arn: string; key: RootCredentials }> {
  const u = await admin.must<NewUser>('POST', '/users', { name });
  const k = await admin.must<NewKey>('POST', `/users/${name}/keys`);
  if (policy !== undefined) await admin.must('PUT', `/users/${name}/policies/matrix`, policy);
  return { arn: u.user.arn, key: { accessKeyId: k.accessKey.accessKeyId, secretAccessKey: k.accessKey.secretAccessKey } };
}

export async function createIdentities(endpoint: string, root: RootCredentials): Promise<MatrixIdentities> {
  const admin = new AdminClient(endpoint, root);
  const alice = await user(admin, 'alice', ALICE_POLICY);
  const bob = await user(admin, 'bob');
  const carol = await user(admin, 'carol', CAROL_POLICY);
  const b = await admin.must<NewAccount>('POST', '/accounts', { name: 'mx-other' });
  const bKey = { accessKeyId: b.accessKey.accessKeyId, secretAccessKey: b.accessKey.secretAccessKey };
  const bAdmin = new AdminClient(endpoint, bKey);
  const dave = await user(bAdmin, 'dave', DAVE_POLICY);
  const erin = await user(bAdmin, 'erin');
  return {
    credentials: {
      userAllow: alice.key, userNone: bob.key, userDeny: carol.key, otherRoot: bKey, otherUser: dave.key, otherUserNone: erin.key,
    },
    otherAccountId: b.account.id,
    bobArn: bob.arn,
  };
}
