// The gateway's HTTP front: one node:http server whose every request runs the same pipeline —
// parse (S3 dialect) → authenticate → authorize → handler → response — with every failure rendered as the
// dialect's XML error document. Bodies stream end to end; nothing here buffers an object.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CredentialLookup, RequestBody, RequestView } from '../auth/index.ts';
import type { Dialect } from '../dialect/dialect.ts';
import type { Operation, ParsedRequest } from '../dialect/operation.ts';
import { isStoreError, StoreError } from '../errors/store-error.ts';
import { fromMetaError } from '../errors/meta-error-mapping.ts';
import type { GatewayServices, Handler, RequestContext } from '../handlers/request-context.ts';
import { HEADERS_TIMEOUT_MS, IDLE_SOCKET_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_HEADER_BYTES } from './gateway-limits.ts';
import { nextRequestId } from './request-id.ts';
import { authorizeRequest } from './request-authorization.ts';
import { throughSandbox } from './sandbox-gate.ts';
import { handleReservedRequest, isReservedPath } from './reserved-routes.ts';
import { S3_DIALECT } from '../dialect/s3-dialect.ts';
import type { RequestTrace } from '../access-log/request-trace.ts';

export interface GatewayServerOptions {
  services: GatewayServices;
  credentials: CredentialLookup;
  handlers: Partial<Record<Operation, Handler>>;
  /** Picks the dialect a request speaks (S3 unless it looks like OSS). */
  dialectOf: (view: RequestView) => Dialect;
  /** Host names under which buckets are addressed virtual-host style (`bucket.<domain>`). */
  baseDomains: string[];
  /** Identifies this gateway in x-amz-id-2 / HostId. */
  hostId: string;
}

export function createGatewayServer(o: GatewayServerOptions): Server {
  const server = createServer({
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout: HEADERS_TIMEOUT_MS,
    // Large uploads take as long as they take; idleness is bounded per socket instead.
    requestTimeout: 0,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  }, (req, res) => {
    void handleRequest(o, req, res);
  });
  server.on('connection', (socket: Socket) => socket.setTimeout(IDLE_SOCKET_TIMEOUT_MS, () => socket.destroy()));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => answerClientError(o, err, socket));
  return server;
}

async function handleRequest(o: GatewayServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = nextRequestId();
  res.setHeader('server', 'zonestore');
  let parsed: ParsedRequest | undefined;
  let body: RequestBody | undefined;
  const view = { method: req.method ?? 'GET', rawUrl: req.url ?? '/', headers: req.headers };
  // The one place every response is seen to its end ('close'), errors and reserved routes included.
  const trace: RequestTrace = { requestId, startMs: Date.now(), kind: isReservedPath(view.rawUrl) ? 'audit' : 'access' };
  o.services.accessLog?.watch(req, res, trace);
  if (isReservedPath(view.rawUrl)) {
    await handleReservedRequest(req, res, { services: o.services, credentials: o.credentials, requestId })
      .catch((err: unknown) => {
        o.services.log.error({ err, requestId }, 'reserved route failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'InternalError', message: 'internal error' }, requestId }));
      });
    return;
  }
  const dialect = o.dialectOf(view);
  try {
    parsed = dialect.parse(view, { baseDomains: o.baseDomains });
    const request = parsed;
    trace.parsed = parsed;
    const auth = await dialect.authenticate(view, o.credentials, Date.now(), request);
    trace.auth = auth;
    dialect.normalizeRequestHeaders(req.headers, view.method);
    const handler = o.handlers[request.operation];
    if (!handler) throw new StoreError('NotImplemented', `${request.operation} is not implemented`);
    // Unsigned requests are the anonymous principal: only policies and ACLs can let them through.
    // A sandboxed bucket's allowed requests are also rate-limited (and counted) there.
    const access = await throughSandbox(o.services, request.bucket, Date.now,
      () => authorizeRequest({ request, auth, req, services: o.services }, Date.now()));
    const ctx: RequestContext = {
      req, res, request, dialect, auth, principal: auth.anonymous ? '' : auth.principal, access,
      requestId, hostId: o.hostId, services: o.services,
      body: () => (body ??= dialect.openBody(req, req.headers, auth)),
    };
    await handler(ctx);
  } catch (raw) {
    const err = fromMetaError(raw);
    trace.errorCode = isStoreError(err) ? err.code : 'InternalError';
    sendError(o, dialect, req, res, err, requestId, parsed);
  } finally {
    trace.doneMs = Date.now();
    // An unread or half-read body must not be taken for the next request on this connection.
    if (!req.complete) {
      if (res.writableFinished) req.destroy();
      else res.once('finish', () => req.destroy());
    }
  }
}

function sendError(
  o: GatewayServerOptions, dialect: Dialect, req: IncomingMessage, res: ServerResponse, err: unknown, requestId: string, parsed?: ParsedRequest,
): void {
  const e = isStoreError(err) ? err : new StoreError('InternalError', 'We encountered an internal error. Please try again.');
  // A sandbox's SlowDown is the rate limit working, not a failure worth an error line.
  if (!isStoreError(err) || (e.status >= 500 && e.code !== 'SlowDown')) {
    o.services.log.error({ err, requestId, method: req.method, url: req.url }, 'request failed');
  }
  if (res.headersSent) {
    // Part of a body is out: the only honest signal left is a broken connection.
    res.destroy(e);
    return;
  }
  if (!req.complete) res.setHeader('connection', 'close');
  const resource = parsed?.resource ?? (req.url ?? '/').split('?')[0]!;
  const out = dialect.renderError(e, { requestId, hostId: o.hostId, resource, method: req.method ?? 'GET' });
  const body = out.body === undefined ? undefined : Buffer.from(out.body, 'utf8');
  const headers = dialect.responseHeaders({ ...out.headers, 'content-length': String(body?.length ?? 0) }, { requestId, hostId: o.hostId });
  res.writeHead(out.status, headers);
  res.end(body);
}

/** Requests node:http cannot even parse (oversized or malformed headers) still get S3 XML. */
function answerClientError(o: GatewayServerOptions, err: NodeJS.ErrnoException, socket: Socket): void {
  // Headers could not be parsed, so the dialect is unknown: answer in S3's form.
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const e = tooLarge
    ? new StoreError('RequestHeaderSectionTooLarge', `Your request header section exceeds the maximum allowed size of ${MAX_HEADER_BYTES} bytes.`)
    : new StoreError('InvalidRequest', 'The request could not be parsed as HTTP.');
  const requestId = nextRequestId();
  const xml = Buffer.from(S3_DIALECT.renderError(e, { requestId, hostId: o.hostId, resource: '/', method: 'GET' }).body ?? '', 'utf8');
  socket.end(`HTTP/1.1 ${e.status} Bad Request\r\ncontent-type: application/xml\r\ncontent-length: ${xml.length}\r\n`
    + `x-amz-request-id: ${requestId}\r\nconnection: close\r\n\r\n${xml.toString('utf8')}`);
}
