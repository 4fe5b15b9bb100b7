// Feeds the request metrics (common/metrics/gateway-request-metrics.ts) from a gateway's HTTP
// server without touching its pipeline: a second 'request' listener notes the start, names the
// operation the same way the pipeline does (the dialect's parse is pure), and records the
// request when its response finishes or its connection closes.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { recordGatewayRequest } from '../../common/metrics/index.ts';
import type { RequestView } from '../auth/index.ts';
import type { Dialect } from '../dialect/dialect.ts';
import { ADMIN_PREFIX, METRICS_PATH, RESERVED_PREFIX } from '../http/reserved-routes.ts';
import { isKmsPath } from '../kms/kms-api.ts';

export interface RequestObserverOptions {
  dialectOf: (view: RequestView) => Dialect;
  baseDomains: string[];
}

/** The operation label of a request: the dialect's operation name, or the reserved route's. */
export function operationLabel(req: IncomingMessage, o: RequestObserverOptions): string {
  const rawUrl = req.url ?? '/';
  if (rawUrl.startsWith(RESERVED_PREFIX)) {
    const path = rawUrl.split('?', 1)[0]!;
    if (path.startsWith(ADMIN_PREFIX)) return 'admin';
    if (path === METRICS_PATH) return 'metrics';
    if (isKmsPath(path)) return 'kms';
    return 'reserved';
  }
  const view = { method: req.method ?? 'GET', rawUrl, headers: req.headers };
  try {
    return o.dialectOf(view).parse(view, { baseDomains: o.baseDomains }).operation;
  } catch {
    return 'Unknown';
  }
}

/** Counts every request `server` answers; register before an HTTPS twin copies the listeners. */
export function observeGatewayRequests(server: Server, o: RequestObserverOptions): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const t0 = performance.now();
    const operation = operationLabel(req, o);
    const socket = req.socket;
    const readAtStart = socket.bytesRead;
    const writtenAtStart = socket.bytesWritten;
    let done = false;
    const record = (): void => {
      if (done) return;
      done = true;
      const length = Number(req.headers['content-length']);
      const bodyRead = Math.max(0, socket.bytesRead - readAtStart);
      recordGatewayRequest({
        operation,
        status: res.headersSent ? res.statusCode : 0,
        seconds: (performance.now() - t0) / 1000,
        // Headers were read before this listener ran; part of the body may have been too.
        bytesReceived: req.complete && Number.isFinite(length) ? Math.max(length, bodyRead) : bodyRead,
        bytesSent: Math.max(0, socket.bytesWritten - writtenAtStart),
      });
    };
    res.once('finish', record);
    res.once('close', record);
  });
}
