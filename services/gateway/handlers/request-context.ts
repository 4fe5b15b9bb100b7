// What every S3 handler receives: the parsed request, who sent it, the services behind the
// gateway, and the response helpers that add the common headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import type { Authentication, RequestBody } from '../auth/index.ts';
import type { ObjectDataPath } from '../objects/index.ts';
import type { S3Request } from '../s3/index.ts';
import type { BucketCache } from './bucket-cache.ts';

export interface GatewayServices {
  meta: MetaClient;
  data: ObjectDataPath;
  buckets: BucketCache;
  /** The cluster's region: bucket locations, and the region clients sign for. */
  region: string;
  log: Logger;
}

export type Authenticated = Extract<Authentication, { anonymous: false }>;

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  s3: S3Request;
  auth: Authenticated;
  requestId: string;
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
  return ctx.s3.query.get(name);
}

export function sendXml(ctx: RequestContext, status: number, xml: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(xml, 'utf8');
  ctx.res.writeHead(status, { ...headers, 'content-type': 'application/xml', 'content-length': String(body.length) });
  ctx.res.end(body);
}

export function sendEmpty(ctx: RequestContext, status: number, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, { ...headers, 'content-length': '0' });
  ctx.res.end();
}
