// What every S3 handler receives: the parsed request, who sent it, the services behind the
// gateway, and the response helpers that add the common headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import type { Authentication, RequestBody } from '../auth/index.ts';
import type { ObjectDataPath } from '../objects/index.ts';
import type { ObjectVersion } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { Dialect } from '../dialect/dialect.ts';
import type { ParsedRequest } from '../dialect/operation.ts';
import type { BucketCache } from './bucket-cache.ts';
import type { RequestAuthorizer } from '../http/request-authorization.ts';
import type { DeferredCommits } from '../debug/deferred-commits.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { SandboxRateLimiter } from '../http/sandbox-rate-limiter.ts';
import type { MetaCredentialStore } from '../credentials/meta-credential-store.ts';
import type { DataKeyService } from '../../kms/data-key-service.ts';
import type { AccessLogPipeline } from '../access-log/access-log-pipeline.ts';

export interface GatewayServices {
  meta: MetaClient;
  data: ObjectDataPath;
  buckets: BucketCache;
  /** The cluster's region: bucket locations, and the region clients sign for. */
  region: string;
  log: Logger;
  /** The gateway's own metrics (metrics/gateway-metrics.ts). */
  metrics?: GatewayMetrics;
  /** The owners' request rate in sandboxed buckets (http/sandbox-gate.ts). */
  sandboxRate?: SandboxRateLimiter;
  /** Set only by the test-only ack-before-commit fault (debug/unsafe-flags.ts): PutObject commits late. */
  unsafeDeferredCommits?: DeferredCommits;
  /** Accounts' and users' keys in meta (set when the gateway has the root key): the admin API seals and forgets through it. */
  identities?: MetaCredentialStore;
  /** The key service (services/kms/): data keys for server-side encryption. Absent: SSE requests fail with KMSNotConfigured. */
  keys?: DataKeyService;
  /** Access and audit logging (access-log/): absent, nothing is recorded. */
  accessLog?: AccessLogPipeline;
}


export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** What the request asks, as its dialect parsed it. */
  request: ParsedRequest;
  /** The dialect the request speaks: renders every response. */
  dialect: Dialect;
  auth: Authentication;
  /** The account the request acts as; '' for an anonymous (unsigned) request. */
  principal: string;
  /** The request is authorized (services/gateway/http/request-authorization.ts); DeleteObjects checks each key through this. */
  access: RequestAuthorizer;
  requestId: string;
  hostId: string;
  services: GatewayServices;
  /** The decoded, verified request body (opened once, on first use). */
  body(): RequestBody;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

/** A header's single value ('' when absent; the first when repeated). */
export function header(ctx: RequestContext, name: string): string {
  const v = ctx.req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

export function query(ctx: RequestContext, name: string): string | undefined {
  return ctx.request.query.get(name);
}

/** The status line and headers (internal S3 names, translated by the dialect); `version` is the object described. */
export function writeHead(ctx: RequestContext, status: number, headers: Record<string, string>, version?: ObjectVersion): void {
  ctx.res.writeHead(status, ctx.dialect.responseHeaders(headers, { requestId: ctx.requestId, hostId: ctx.hostId, version }));
}

export function sendXml(ctx: RequestContext, status: number, xml: string, headers: Record<string, string> = {}, version?: ObjectVersion): void {
  const body = Buffer.from(xml, 'utf8');
  writeHead(ctx, status, { ...headers, 'content-type': 'application/xml', 'content-length': String(body.length) }, version);
  ctx.res.end(body);
}

export function sendEmpty(ctx: RequestContext, status: number, headers: Record<string, string> = {}, version?: ObjectVersion): void {
  writeHead(ctx, status, { ...headers, 'content-length': '0' }, version);
  ctx.res.end();
}
