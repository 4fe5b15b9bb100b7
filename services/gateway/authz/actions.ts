// Action / NotAction patterns → sets of permissions. `s3:<name>` and `oss:<name>` are looked
// up (case-insensitively) in their namespace of the catalog; wildcards expand over it there.
// `*` is every permission, `s3:*` and `oss:*` every object-store one, `kms:*` every key-service one (issue #12). A pattern that names nothing in the catalog is
// MalformedPolicy (S3 refuses unknown actions in bucket policies too).
import { MAX_POLICY_STRING_LENGTH } from './authz-limits.ts';
import { ACTION_NAMES, FIRST_KMS_PERMISSION, PERMISSION_COUNT, type PermissionId } from './permissions.ts';
import { PolicySyntaxError } from './policy-syntax-error.ts';
import { compileWildcard } from './wildcard.ts';

/** One flag per permission id: 1 when the statement covers it. */
export type ActionSet = Uint8Array;

export function emptyActionSet(): ActionSet {
  return new Uint8Array(PERMISSION_COUNT);
}

export function addActionPattern(set: ActionSet, pattern: string): void {
  if (pattern.length === 0 || pattern.length > MAX_POLICY_STRING_LENGTH) {
    throw new PolicySyntaxError(`action must be 1 to ${MAX_POLICY_STRING_LENGTH} characters`);
  }
  if (pattern === '*') {
    set.fill(1);
    return;
  }
  const colon = pattern.indexOf(':');
  const service = colon < 0 ? '' : pattern.slice(0, colon).toLowerCase();
  if (service !== 's3' && service !== 'oss' && service !== 'kms') {
    throw new PolicySyntaxError(`action ${JSON.stringify(pattern)} is not s3:… or oss:… (nor kms:…)`);
  }
  const name = pattern.slice(colon + 1).toLowerCase();
  if (name === '*') {
    // s3:* and oss:* are every object-store permission; kms:* every key-service one.
    if (service === 'kms') set.fill(1, FIRST_KMS_PERMISSION);
    else set.fill(1, 0, FIRST_KMS_PERMISSION);
    return;
  }
  const matches = compileWildcard(name);
  let found = false;
  for (const [lower, id] of ACTION_NAMES[service]) {
    if (matches(lower)) {
      set[id] = 1;
      found = true;
    }
  }
  if (!found) throw new PolicySyntaxError(`unknown action ${JSON.stringify(pattern)}`);
}

export function complementActionSet(set: ActionSet): ActionSet {
  const out = emptyActionSet();
  for (let i = 0; i < set.length; i++) out[i] = set[i] ? 0 : 1;
  return out;
}

export function actionSetHas(set: ActionSet, id: PermissionId): boolean {
  return set[id] === 1;
}
