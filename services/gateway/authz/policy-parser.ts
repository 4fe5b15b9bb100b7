// Policy JSON (RAM/OSS or IAM/S3 syntax) → the one Policy model, or a StoreError value with
// code MalformedPolicy. Never throws: whatever the input, the answer is one of the two.
// Grammar accepted (both syntaxes; the prefixes of each element decide how it is read):
//   { "Version": "1" | "2012-10-17" | "2008-10-17", "Id"?: string,
//     "Statement": statement | [statement, …] }
//   statement = { "Sid"?: string, "Effect": "Allow" | "Deny",
//                 "Action" | "NotAction": string | [string, …],
//                 "Resource" | "NotResource": string | [string, …],
//                 "Principal" | "NotPrincipal": … (bucket policies: required; user policies: refused),
//                 "Condition"?: { operator: { key: value | [value, …] } } }
// Unknown members, actions, condition operators and keys are errors, not ignored.
import { StoreError } from '../errors/store-error.ts';
import { addActionPattern, complementActionSet, emptyActionSet } from './actions.ts';
import { MAX_BUCKET_POLICY_BYTES, MAX_STATEMENTS, MAX_USER_POLICY_BYTES } from './authz-limits.ts';
import { parseConditionBlock } from './conditions.ts';
import type { Policy, PolicyKind, PolicySyntax, Statement } from './policy-model.ts';
import { PolicySyntaxError } from './policy-syntax-error.ts';
import { parsePrincipal } from './principals.ts';
import { parseResource } from './resources.ts';

export type PolicyParseResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly error: StoreError };

const VERSIONS: ReadonlyMap<string, PolicySyntax> = new Map([['1', 'ram'], ['2012-10-17', 'iam'], ['2008-10-17', 'iam']]);
const POLICY_MEMBERS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_MEMBERS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const SID = /^[A-Za-z0-9 _.:@-]{0,256}$/;

export function maxPolicyBytes(kind: PolicyKind): number {
  return kind === 'bucket' ? MAX_BUCKET_POLICY_BYTES : MAX_USER_POLICY_BYTES;
}

/** Parses a policy document's text. `kind` decides the size limit and whether Principal is required or refused. */
export function parsePolicy(text: string, kind: PolicyKind): PolicyParseResult {
  try {
    if (typeof text !== 'string') throw new PolicySyntaxError('the policy must be JSON text');
    const limit = maxPolicyBytes(kind);
    // Cheap bound first: a UTF-16 string's UTF-8 form has at least as many bytes as it has units.
    if (text.length > limit || Buffer.byteLength(text, 'utf8') > limit) {
      throw new PolicySyntaxError(`the ${kind} policy is over ${limit} bytes`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new PolicySyntaxError('the policy is not valid JSON');
    }
    return { ok: true, policy: parsePolicyDocument(doc, kind) };
  } catch (err) {
    const message = err instanceof PolicySyntaxError ? err.message
      : err instanceof RangeError ? 'the policy nests too deeply' : 'the policy could not be parsed';
    return { ok: false, error: new StoreError('MalformedPolicy', `Policy is malformed: ${message}`) };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkMembers(obj: Record<string, unknown>, allowed: ReadonlySet<string>, where: string): void {
  for (const k of Object.keys(obj)) if (!allowed.has(k)) throw new PolicySyntaxError(`unknown member ${JSON.stringify(k)} in ${where}`);
}

function parsePolicyDocument(doc: unknown, kind: PolicyKind): Policy {
  if (!isObject(doc)) throw new PolicySyntaxError('the policy must be a JSON object');
  checkMembers(doc, POLICY_MEMBERS, 'the policy');
  const version = doc['Version'];
  if (typeof version !== 'string' || !VERSIONS.has(version)) {
    throw new PolicySyntaxError('Version must be "1" (RAM) or "2012-10-17" / "2008-10-17" (IAM)');
  }
  const id = doc['Id'];
  if (id !== undefined && typeof id !== 'string') throw new PolicySyntaxError('Id must be a string');
  const raw = doc['Statement'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) throw new PolicySyntaxError('the policy has no Statement');
  if (list.length > MAX_STATEMENTS) throw new PolicySyntaxError(`the policy has over ${MAX_STATEMENTS} statements`);
  const statements = list.map((s, i) => parseStatement(s, i, kind));
  if (version !== '2008-10-17') statements.forEach(refusePolicyVariables);
  const sids = statements.flatMap((s) => (s.sid ? [s.sid] : []));
  if (new Set(sids).size !== sids.length) throw new PolicySyntaxError('two statements share a Sid');
  return { kind, syntax: VERSIONS.get(version)!, version, ...(id !== undefined ? { id } : {}), statements };
}

// IAM expands `${aws:username}` and the like in resources and condition values (since Version
// 2012-10-17); this evaluator does not. Matching them literally would make a Deny such as
// `arn:aws:s3:::b/home/${aws:username}/*` deny nothing, so they are refused instead.
function refusePolicyVariables(st: Statement, index: number): void {
  const texts = [...st.resources.map((r) => r.source), ...st.conditions.flatMap((c) => c.values)];
  if (texts.some((t) => t.includes('${'))) {
    throw new PolicySyntaxError(`statement ${index + 1}: policy variables (\${…}) are not supported`);
  }
}

function stringOrList(value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => typeof v === 'string')) {
    throw new PolicySyntaxError(`${what} must be a string or a non-empty list of strings`);
  }
  return list as string[];
}

/** Exactly one of the pair; `required: false` allows neither. */
function oneOf(s: Record<string, unknown>, a: string, b: string, where: string, required: boolean): [string, unknown] | undefined {
  const hasA = Object.hasOwn(s, a);
  const hasB = Object.hasOwn(s, b);
  if (hasA && hasB) throw new PolicySyntaxError(`${where} has both ${a} and ${b}`);
  if (!hasA && !hasB) {
    if (required) throw new PolicySyntaxError(`${where} has neither ${a} nor ${b}`);
    return undefined;
  }
  return hasA ? [a, s[a]] : [b, s[b]];
}

function parseStatement(s: unknown, index: number, kind: PolicyKind): Statement {
  const where = `statement ${index + 1}`;
  if (!isObject(s)) throw new PolicySyntaxError(`${where} must be an object`);
  checkMembers(s, STATEMENT_MEMBERS, where);
  const sid = s['Sid'];
  if (sid !== undefined && (typeof sid !== 'string' || !SID.test(sid))) throw new PolicySyntaxError(`${where}: Sid must be a short string`);
  const effect = s['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') throw new PolicySyntaxError(`${where}: Effect must be "Allow" or "Deny"`);

  const [actionMember, actionValue] = oneOf(s, 'Action', 'NotAction', where, true)!;
  const actions = emptyActionSet();
  for (const a of stringOrList(actionValue, `${where}: ${actionMember}`)) addActionPattern(actions, a);

  const [resourceMember, resourceValue] = oneOf(s, 'Resource', 'NotResource', where, true)!;
  const resources = stringOrList(resourceValue, `${where}: ${resourceMember}`).map(parseResource);

  const principal = oneOf(s, 'Principal', 'NotPrincipal', where, kind === 'bucket');
  if (principal && kind === 'user') throw new PolicySyntaxError(`${where}: a user policy names no ${principal[0]}`);

  const condition = s['Condition'];
  const conditions = condition === undefined ? [] : parseConditionBlock(condition);
  return {
    ...(typeof sid === 'string' && sid !== '' ? { sid } : {}),
    effect,
    actions: actionMember === 'NotAction' ? complementActionSet(actions) : actions,
    notAction: actionMember === 'NotAction',
    resources,
    notResource: resourceMember === 'NotResource',
    ...(principal ? { principals: parsePrincipal(principal[1]) } : {}),
    notPrincipal: principal?.[0] === 'NotPrincipal',
    conditions,
  };
}
