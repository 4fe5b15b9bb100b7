// What the request pipeline learns about a request as it runs (mutated in place by
// http/gateway-server.ts), and the record built from it once the response is over (pure).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authentication } from '../auth/index.ts';
import type { ParsedRequest } from '../dialect/operation.ts';
import type { AccessLogRecord } from './access-log-record.ts';

export interface RequestTrace {
  requestId: string;
  startMs: number;
  kind: 'access' | 'audit';
  parsed?: ParsedRequest;
  auth?: Authentication;
  errorCode?: string;
  /** When the handler (or error answer) was done. */
  doneMs?: number;
}

export interface ResponseFacts {
  remoteIp: string;
  method: string;
  url: string;
  httpVersion: string;
  headers: IncomingMessage['headers'];
  status: number;
  /** The response's content-length (what a complete response sends). */
  responseLength: number;
  /** False when the connection broke before the response finished. */
  finished: boolean;
}

export function factsOf(req: IncomingMessage, res: ServerResponse): ResponseFacts {
  const length = Number(res.getHeader('content-length') ?? 0);
  return {
    remoteIp: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''), method: req.method ?? 'GET', url: req.url ?? '/',
    httpVersion: req.httpVersion, headers: req.headers, status: res.statusCode,
    responseLength: req.method === 'HEAD' || !Number.isFinite(length) ? 0 : length, finished: res.writableFinished,
  };
}

function headerOf(headers: IncomingMessage['headers'], name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

/** The access key a request claims (from SigV4 / OSS headers or query), verified or not: for audit records of reserved routes. */
export function claimedAccessKey(headers: IncomingMessage['headers'], url: string): string {
  const authz = headerOf(headers, 'authorization');
  const m = /Credential=([^/,\s]+)\//.exec(authz) ?? /^OSS ([^:\s]+):/.exec(authz) ?? /[?&]X-Amz-Credential=([^%&/]+)/.exec(url);
  return m?.[1] ?? '';
}

function signatureVersion(headers: IncomingMessage['headers'], url: string, auth: Authentication | undefined): string {
  if (!auth || auth.anonymous) return '';
  const authz = headerOf(headers, 'authorization');
  if (authz.startsWith('AWS4-') || url.includes('X-Amz-Signature=')) return 'sigv4';
  if (authz.startsWith('OSS')) return 'oss';
  return 'sigv2';
}

/** The record of one finished request (pure). */
export function recordOf(id: string, t: RequestTrace, f: ResponseFacts, o: { nowMs: number; hostId: string; bucketOwner: string; objectSize?: number }): AccessLogRecord {
  const auth = t.auth && !t.auth.anonymous ? t.auth : undefined;
  let headerBytes = `${f.method} ${f.url} HTTP/${f.httpVersion}\r\n`.length;
  for (const [k, v] of Object.entries(f.headers)) headerBytes += k.length + 4 + String(v).length;
  const bodyBytes = Number(headerOf(f.headers, 'content-length')) || 0;
  const operation = t.parsed?.operation ?? (t.kind === 'audit' ? auditOperation(f) : '');
  return {
    id, timeMs: t.startMs, remoteIp: f.remoteIp, method: f.method, requestUri: f.url, httpVersion: f.httpVersion,
    status: f.finished ? f.status : (f.status || 499), bytesSent: f.finished ? f.responseLength : 0,
    requestTimeMs: Math.max(0, o.nowMs - t.startMs), serverTimeMs: Math.max(0, (t.doneMs ?? o.nowMs) - t.startMs),
    referer: headerOf(f.headers, 'referer'), userAgent: headerOf(f.headers, 'user-agent'), host: headerOf(f.headers, 'host'),
    requestId: t.requestId, requester: auth?.principal ?? '', accessKeyId: auth?.accessKeyId ?? (t.kind === 'audit' ? claimedAccessKey(f.headers, f.url) : ''),
    operation, bucket: t.parsed?.bucket ?? '', key: t.parsed?.key ?? '', objectSize: o.objectSize,
    errorCode: t.errorCode ?? '', requestLength: headerBytes + 2 + bodyBytes, bucketOwner: o.bucketOwner,
    signatureVersion: t.kind === 'audit' ? (headerOf(f.headers, 'authorization') ? 'sigv4' : '') : signatureVersion(f.headers, f.url, t.auth),
    hostId: o.hostId, kind: t.kind,
  };
}

/** Admin: `admin:<METHOD> <path under /_zonestore/admin/>`; KMS: `kms:<action>` from X-Amz-Target. */
function auditOperation(f: ResponseFacts): string {
  const target = headerOf(f.headers, 'x-amz-target');
  if (target) return `kms:${target.split('.').pop()}`;
  const path = f.url.split('?', 1)[0]!.replace(/^\/_zonestore\/admin\//, '');
  return `admin:${f.method} ${path}`;
}
