// The one policy model both syntaxes parse into. A Policy is immutable and safe to share
// between requests (the gateway caches parsed policies; parsing happens when one is stored).
import type { ActionSet } from './actions.ts';
import type { ConditionClause } from './conditions.ts';
import type { PrincipalEntry } from './principals.ts';
import type { ResourcePattern } from './resources.ts';

export type Effect = 'Allow' | 'Deny';
/** Where a policy is attached: a bucket policy names principals, a user policy does not. */
export type PolicyKind = 'bucket' | 'user';
/** Which syntax the document declared: RAM's `"Version": "1"` or IAM's dated versions. */
export type PolicySyntax = 'ram' | 'iam';

export interface Statement {
  readonly sid?: string;
  readonly effect: Effect;
  /** The permissions it covers, NotAction already complemented. */
  readonly actions: ActionSet;
  readonly notAction: boolean;
  readonly resources: readonly ResourcePattern[];
  /** true: the statement covers every resource except `resources` (NotResource). */
  readonly notResource: boolean;
  /** Bucket policies only: who it applies to (NotPrincipal: everyone except them). */
  readonly principals?: readonly PrincipalEntry[];
  readonly notPrincipal: boolean;
  readonly conditions: readonly ConditionClause[];
}

export interface Policy {
  readonly kind: PolicyKind;
  readonly syntax: PolicySyntax;
  readonly version: string;
  readonly id?: string;
  readonly statements: readonly Statement[];
}
