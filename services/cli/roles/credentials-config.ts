// The root key of a role process that serves S3/OSS: from ZONESTORE_ROOT_ACCESS_KEY_ID and
// ZONESTORE_ROOT_SECRET_ACCESS_KEY, or from a mounted credentials file (a Docker or Kubernetes
// secret, written by deploy/compose/init.sh or the Helm chart).
import { readRootCredentials, rootCredentialsFromEnv, type RootCredentials } from '../../gateway/credentials/root-credentials.ts';

export function roleRootCredentials(file: string | undefined): RootCredentials {
  const fromEnv = rootCredentialsFromEnv();
  if (fromEnv) return fromEnv;
  if (!file) throw new Error('no root credentials: set ZONESTORE_ROOT_ACCESS_KEY_ID and ZONESTORE_ROOT_SECRET_ACCESS_KEY, or --credentials-file (ZONESTORE_CREDENTIALS_FILE)');
  return readRootCredentials(file);
}
