// Validation of admin API request bodies and path names (zod), with the limits named.
import { z } from 'zod';
import { StoreError } from '../errors/store-error.ts';
import { MAX_SANDBOX_REQUESTS_PER_SECOND } from '../handlers/sandbox-config.ts';

/** Largest JSON body (a user policy is the biggest thing sent: 6 KiB, plus room). */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

export const USER_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
export const POLICY_NAME = /^[A-Za-z0-9+=,.@_-]{1,128}$/;
export const ACCOUNT_NAME = /^[a-z0-9-]{1,64}$/;

export const createAccountBody = z.object({ name: z.string().regex(ACCOUNT_NAME, 'an account name is 1-64 of [a-z0-9-]') }).strict();
export const createUserBody = z.object({
  name: z.string().regex(USER_NAME, 'a user name is 1-64 of [A-Za-z0-9+=,.@_-]'),
  admin: z.boolean().optional(),
}).strict();
export const updateKeyBody = z.object({ status: z.enum(['Active', 'Inactive']) }).strict();
export const sandboxBody = z.object({
  requestsPerSecond: z.number().int().min(1).max(MAX_SANDBOX_REQUESTS_PER_SECOND).optional(),
  reason: z.string().max(1024).optional(),
}).strict();

/** The body as JSON; MalformedJSON when it is not (an empty body is `{}`). */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new StoreError('MalformedJSON', 'the request body is not JSON');
  }
}

/** The value of `schema` or InvalidArgument naming what is wrong. */
export function validated<T extends z.ZodTypeAny>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new StoreError('InvalidArgument', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

export function checkName(pattern: RegExp, value: string, what: string): string {
  if (!pattern.test(value)) throw new StoreError('InvalidArgument', `invalid ${what} ${JSON.stringify(value.slice(0, 200))}`);
  return value;
}
