// The KmsCaller of services/kms/ for a request's principal: its IAM/RAM policies and, per key,
// the key's policy, decided by the gateway's evaluator (authz/kms-authorize.ts). SSE-KMS PUT/GET
// and the KMS API build one per request:
//   const dk = await ctx.services.keys!.generateDataKey(kmsCallerFor(ctx), { keyId, context });
import type { IncomingMessage } from 'node:http';
import type { Authentication } from '../auth/index.ts';
import { authorizeKms, parsePolicy, type Policy, type RequestFacts } from '../authz/index.ts';
import type { RequestContext } from '../handlers/request-context.ts';
import { principalOf, requestFactsOf, userPoliciesOf } from '../http/request-authorization.ts';
import type { KmsAction, KmsCaller } from '../../kms/data-key-service.ts';

/** Parsed key policies by text (a policy is parsed once, not per request); bounded. */
const parsedKeyPolicies = new Map<string, Policy | undefined>();
export const MAX_PARSED_KEY_POLICIES = 10_000;

/** The key's policy parsed; '' (the default policy) and a document that no longer parses are undefined / deny-all. */
export function keyPolicyOf(text: string): Policy | undefined | 'unparseable' {
  if (text === '') return undefined;
  if (!parsedKeyPolicies.has(text)) {
    const r = parsePolicy(text, 'bucket');
    if (parsedKeyPolicies.size >= MAX_PARSED_KEY_POLICIES) parsedKeyPolicies.delete(parsedKeyPolicies.keys().next().value!);
    parsedKeyPolicies.set(text, r.ok ? r.policy : undefined);
  }
  return parsedKeyPolicies.get(text) ?? 'unparseable';
}

/** The key id in `arn:aws:kms:<region>:<account>:key/<id>`. */
function keyIdOfArn(arn: string): { accountId: string; keyId: string } | undefined {
  const m = /^arn:[^:]+:kms:[^:]*:([^:]+):key\/(.+)$/.exec(arn);
  return m ? { accountId: m[1]!, keyId: m[2]! } : undefined;
}

export function kmsCallerOf(auth: Authentication, req: IncomingMessage, nowMs: number, accountId?: string): KmsCaller {
  const principal = principalOf(auth);
  const userPolicies = userPoliciesOf(auth);
  const facts: RequestFacts = requestFactsOf(auth, req, new Map(), nowMs);
  const decide = (action: KmsAction, key: { accountId: string; keyId: string; policy: string } | undefined): boolean => {
    const policy = key ? keyPolicyOf(key.policy) : undefined;
    if (policy === 'unparseable') return false;
    return authorizeKms({
      principal, action, userPolicies, facts,
      ...(key ? { key: { accountId: key.accountId, keyId: key.keyId, ...(policy ? { policy } : {}) } } : { accountId: caller.accountId }),
    }).allowed;
  };
  const caller: KmsCaller = {
    accountId: accountId ?? (principal.type === 'anonymous' ? '' : principal.accountId),
    mayDo(action, keyArn) {
      const key = keyIdOfArn(keyArn);
      return decide(action, key ? { ...key, policy: '' } : undefined) ? 'allow' : 'implicit';
    },
    authorizeKey(action, key) {
      const parsed = keyIdOfArn(key.arn);
      return decide(action, { accountId: key.accountId, keyId: parsed?.keyId ?? key.arn, policy: key.policy });
    },
  };
  return caller;
}

/**
 * The caller for an S3/OSS request's principal (SSE-KMS). Keys named by bare id or alias are
 * looked up in `accountId` (default: the principal's own account).
 */
export function kmsCallerFor(ctx: RequestContext, accountId?: string): KmsCaller {
  return kmsCallerOf(ctx.auth, ctx.req, Date.now(), accountId);
}
