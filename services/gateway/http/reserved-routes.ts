// Paths under /_zonestore/ belong to the gateway itself, never to a bucket: S3 and OSS bucket
// names cannot start with '_', so no bucket or key can be shadowed. Each prefix has one owner:
//   /_zonestore/admin/   the admin API (services/gateway/admin/): JSON, signed with SigV4
//   /_zonestore/metrics  Prometheus text of the gateway's own metrics (services/gateway/metrics/)
//   /_zonestore/kms      the KMS API (services/gateway/kms/): AWS KMS JSON 1.1, signed with SigV4 for "kms"
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CredentialLookup } from '../auth/index.ts';
import type { GatewayServices } from '../handlers/request-context.ts';
import { handleAdminRequest } from '../admin/admin-api.ts';
import { handleMetricsRequest } from '../metrics/metrics-endpoint.ts';
import { handleKmsRequest, isKmsPath } from '../kms/kms-api.ts';

export const RESERVED_PREFIX = '/_zonestore/';
export const ADMIN_PREFIX = '/_zonestore/admin/';
export const METRICS_PATH = '/_zonestore/metrics';

export interface ReservedRouteContext {
  services: GatewayServices;
  credentials: CredentialLookup;
  requestId: string;
}

export function isReservedPath(rawUrl: string): boolean {
  return rawUrl.startsWith(RESERVED_PREFIX);
}

export async function handleReservedRequest(req: IncomingMessage, res: ServerResponse, ctx: ReservedRouteContext): Promise<void> {
  const url = req.url ?? '/';
  const path = url.split('?', 1)[0]!;
  if (path.startsWith(ADMIN_PREFIX)) return handleAdminRequest(req, res, ctx);
  if (path === METRICS_PATH) return handleMetricsRequest(req, res, ctx);
  if (isKmsPath(path)) return handleKmsRequest(req, res, ctx);
  const body = JSON.stringify({ error: { code: 'NotFound', message: `no such gateway path ${path}` }, requestId: ctx.requestId });
  res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
