// One policy against one request: the first matching Deny wins at once; otherwise the
// strongest matching Allow (a `direct` principal match beats an `account` one) is reported.
import { evaluateConditions } from './conditions.ts';
import type { Policy, Statement } from './policy-model.ts';
import { matchPrincipals, type PrincipalMatch } from './principals.ts';
import type { EvaluationRequest } from './request-context.ts';
import { resourceMatches } from './resources.ts';

export type PolicyOutcome =
  | { readonly effect: 'Deny'; readonly statement: number }
  | { readonly effect: 'Allow'; readonly statement: number; readonly principalMatch: 'direct' | 'account' }
  | { readonly effect: 'None' };

const NONE: PolicyOutcome = { effect: 'None' };

/** How the statement applies to the request: false when it does not. Identity statements match `direct`. */
export function statementApplies(st: Statement, r: EvaluationRequest): PrincipalMatch {
  if (st.actions[r.permission] !== 1) return false;
  let inResources = false;
  for (let i = 0; i < st.resources.length; i++) {
    if (resourceMatches(st.resources[i]!, r)) {
      inResources = true;
      break;
    }
  }
  if (inResources === st.notResource) return false;
  let match: PrincipalMatch = 'direct';
  if (st.principals) {
    const m = matchPrincipals(st.principals, r.principal);
    match = st.notPrincipal ? (m ? false : 'direct') : m;
    if (!match) return false;
  }
  return evaluateConditions(st.conditions, r) ? match : false;
}

export function evaluatePolicy(policy: Policy, r: EvaluationRequest): PolicyOutcome {
  let allow = -1;
  let allowMatch: 'direct' | 'account' = 'account';
  const statements = policy.statements;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i]!;
    const m = statementApplies(st, r);
    if (!m) continue;
    if (st.effect === 'Deny') return { effect: 'Deny', statement: i };
    if (allow < 0 || (m === 'direct' && allowMatch === 'account')) {
      allow = i;
      allowMatch = m;
    }
  }
  return allow < 0 ? NONE : { effect: 'Allow', statement: allow, principalMatch: allowMatch };
}
