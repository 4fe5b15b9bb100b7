// The admin API (docs/admin-api.md): JSON under /_zonestore/admin/v1/, every request signed
// with SigV4 in the header form (payload hash checked). Routing is admin-routes.ts, who may
// call what admin-permissions.ts, bodies admin-requests.ts, the resources identity-handlers.ts
// and sandbox-handlers.ts.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from '../auth/index.ts';
import { fromMetaError } from '../errors/meta-error-mapping.ts';
import { isStoreError, STORE_ERROR_STATUS, StoreError } from '../errors/store-error.ts';
import type { ReservedRouteContext } from '../http/reserved-routes.ts';
import { adminCallerOf, mayCall, targetAccountOf } from './admin-permissions.ts';
import { MAX_ADMIN_BODY_BYTES } from './admin-requests.ts';
import { matchAdminRoute } from './admin-routes.ts';
import { identityHandlers, type AdminAnswer, type AdminCall } from './identity-handlers.ts';
import { sandboxHandlers } from './sandbox-handlers.ts';
import { logQueryHandlers } from './log-query-handlers.ts';

const HANDLERS: Record<string, (c: AdminCall) => Promise<AdminAnswer>> = { ...identityHandlers, ...sandboxHandlers, ...logQueryHandlers };

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of req) {
    n += (chunk as Buffer).length;
    if (n > MAX_ADMIN_BODY_BYTES) {
      req.resume();
      throw new StoreError('EntityTooLarge', `an admin request body has at most ${MAX_ADMIN_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function answer(req: IncomingMessage, ctx: ReservedRouteContext): Promise<AdminAnswer> {
  const rawUrl = req.url ?? '/';
  const [rawPath, rawQuery = ''] = rawUrl.split('?', 2) as [string, string?];
  const match = matchAdminRoute(req.method ?? 'GET', rawPath);
  if (req.headers.authorization === undefined) {
    req.resume();
    throw new StoreError('AccessDenied', 'admin requests must be signed (SigV4, Authorization header)');
  }
  const auth = await authenticate({ method: req.method ?? 'GET', rawUrl, headers: req.headers }, ctx.credentials, Date.now());
  if (auth.anonymous) throw new StoreError('AccessDenied', 'admin requests must be signed');
  const body = await readBody(req);
  if (auth.payload.kind === 'sha256') {
    if (createHash('sha256').update(body).digest('hex') !== auth.payload.hex) {
      throw new StoreError('XAmzContentSHA256Mismatch', 'the body does not match x-amz-content-sha256');
    }
  } else if (auth.payload.kind !== 'unsigned') {
    throw new StoreError('InvalidArgument', 'admin requests are signed with a plain payload hash');
  }
  if ('error' in match) throw new StoreError(match.error, match.error === 'NotFound' ? `no admin resource ${rawPath}` : `${req.method} is not allowed on ${rawPath}`);
  const caller = adminCallerOf(auth);
  const requested = new URLSearchParams(rawQuery).get('accountId') ?? undefined;
  const accountId = targetAccountOf(caller, requested);
  if (!mayCall(caller, match.route.requirement) || accountId === undefined) {
    throw new StoreError('AccessDenied', `not allowed: ${match.route.name}`);
  }
  return HANDLERS[match.route.name]!({ services: ctx.services, caller, accountId, params: match.route.params, body });
}

export async function handleAdminRequest(req: IncomingMessage, res: ServerResponse, ctx: ReservedRouteContext): Promise<void> {
  try {
    const a = await answer(req, ctx);
    send(res, a.status, a.body);
  } catch (raw) {
    const err = fromMetaError(raw);
    if (!isStoreError(err)) {
      ctx.services.log.error({ err, requestId: ctx.requestId }, 'admin request failed');
      send(res, 500, { error: { code: 'InternalError', message: 'internal error' }, requestId: ctx.requestId });
      return;
    }
    req.resume();
    const status = err.code === 'EntityTooLarge' ? 413 : STORE_ERROR_STATUS[err.code];
    send(res, status, { error: { code: err.code, message: err.message }, requestId: ctx.requestId });
  }
}
