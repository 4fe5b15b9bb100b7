// The gateway's own metrics (issue #11 sandbox; #14 adds the rest): not written yet.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReservedRouteContext } from '../http/reserved-routes.ts';

export async function handleMetricsRequest(req: IncomingMessage, res: ServerResponse, _ctx: ReservedRouteContext): Promise<void> {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-length': '0' });
  res.end();
}
