// HTTPS for a gateway: a node:https server that serves the very same request pipeline as the
// plain one createGatewayServer built (its 'request', 'connection' and 'clientError' listeners
// and its timeouts), so requests arrive on a TLSSocket and `aws:SecureTransport` /
// `acs:SecureTransport` conditions see `req.socket.encrypted === true`.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server as HttpsServer } from 'node:https';
import { MAX_HEADER_BYTES } from './gateway-limits.ts';

export interface GatewayTlsKeyPair {
  /** PEM certificate chain (leaf first). */
  certPem: string | Buffer;
  keyPem: string | Buffer;
}

/** An HTTPS twin of `plain`: same handlers, same limits. */
export function httpsTwin(plain: HttpServer, pair: GatewayTlsKeyPair): HttpsServer {
  const server = createServer({
    cert: pair.certPem, key: pair.keyPem,
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout: plain.headersTimeout,
    requestTimeout: plain.requestTimeout,
    keepAliveTimeout: plain.keepAliveTimeout,
  });
  // Only the gateway's own listeners: node:http registers its HTTP parser as a 'connection'
  // listener of every http.Server, which must not see the TLS bytes.
  const builtIn = createHttpServer();
  for (const event of ['request', 'connection', 'clientError'] as const) {
    const internal = new Set(builtIn.listeners(event));
    for (const l of plain.listeners(event)) if (!internal.has(l)) server.on(event, l as (...args: unknown[]) => void);
  }
  return server;
}
