// The admin API (issue #11): not written yet. See services/gateway/http/reserved-routes.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReservedRouteContext } from '../http/reserved-routes.ts';

export async function handleAdminRequest(req: IncomingMessage, res: ServerResponse, ctx: ReservedRouteContext): Promise<void> {
  req.resume();
  const body = JSON.stringify({ error: { code: 'NotImplemented', message: 'the admin API is not implemented yet' }, requestId: ctx.requestId });
  res.writeHead(501, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
