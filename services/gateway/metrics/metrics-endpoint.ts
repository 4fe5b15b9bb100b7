// GET /_zonestore/metrics: Prometheus text of this process (common/metrics/: request, Raft, data
// node, repair, KMS metrics of whatever the process hosts — in a `zonestore up` zone process,
// the whole zone) followed by this gateway's own sandbox metrics (gateway-metrics.ts).
// Unauthenticated, like most exporters: it names sandboxed buckets, node and replica ids, and counts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { processMetricsText, PROMETHEUS_TEXT_CONTENT_TYPE } from '../../common/metrics/index.ts';
import type { ReservedRouteContext } from '../http/reserved-routes.ts';

export async function handleMetricsRequest(req: IncomingMessage, res: ServerResponse, ctx: ReservedRouteContext): Promise<void> {
  req.resume();
  const own = ctx.services.metrics ? await ctx.services.metrics.text() : '';
  const body = Buffer.from(`${await processMetricsText()}${own}`, 'utf8');
  res.writeHead(200, { 'content-type': PROMETHEUS_TEXT_CONTENT_TYPE, 'content-length': String(body.length) });
  res.end(body);
}
