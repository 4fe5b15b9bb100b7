// Starts one gateway: the S3 front over the metadata cluster and the data nodes. Any gateway
// serves any request; `zonestore up` runs one per zone on the zone's own address.
//
//   const gw = await startGateway({ host: '127.0.0.11', port: 9000, metaAddresses, localZone: 'zone-1', credentials, log });
//   gw.url   // http://127.0.0.11:9000
//   await gw.stop();
import type { Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { MetaClient } from '../meta/client/meta-client.ts';
import type { CredentialLookup } from './auth/index.ts';
import { MetaCredentialStore } from './credentials/meta-credential-store.ts';
import type { RootCredentials } from './credentials/root-credentials.ts';
import { keyEncryptingKey, SecretSealer } from './credentials/secret-sealing.ts';
import { BucketCache } from './handlers/bucket-cache.ts';
import { OPERATION_HANDLERS } from './handlers/operation-handlers.ts';
import { dialectOf } from './dialect/oss-dialect.ts';
import { createGatewayServer } from './http/gateway-server.ts';
import { httpsTwin, type GatewayTlsKeyPair } from './http/https-listener.ts';
import { BUCKET_CACHE_MS } from './http/gateway-limits.ts';
import { ObjectDataPath } from './objects/index.ts';
import type { ChunkClient } from '../data/local-chunk-client.ts';
import { DeferredCommits } from './debug/deferred-commits.ts';
import { GatewayMetrics } from './metrics/gateway-metrics.ts';
import { listSandboxedBuckets } from './metrics/sandboxed-buckets.ts';
import { observeGatewayRequests } from './metrics/request-observer.ts';
import { SandboxRateLimiter } from './http/sandbox-rate-limiter.ts';
import { describeUnsafeFlags, unsafeFlagsFromEnv, type UnsafeGatewayFlags } from './debug/unsafe-flags.ts';
import { startGatewayKeyService } from './kms/gateway-key-service.ts';
import { AccessLogPipeline, type AccessLogOptions } from './access-log/access-log-pipeline.ts';
import type { GatewayServices } from './handlers/request-context.ts';

export const DEFAULT_REGION = 'us-east-1';
/** `bucket.localhost` resolves to loopback on most systems, so virtual-host style works locally. */
export const DEFAULT_BASE_DOMAINS = ['localhost'];
/** In-flight requests get this long to finish when the gateway stops. */
export const STOP_GRACE_MS = 5_000;

export interface GatewayOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Meta replica API addresses, the nearest first. */
  metaAddresses: string[];
  /** The zone this gateway runs in (reads prefer its shards). */
  localZone: string;
  /** Outgoing sockets bind this address (the zone's). */
  localAddress?: string;
  /** Keys accepted besides the meta-stored ones; ignored when rootCredentials is given. */
  credentials?: CredentialLookup;
  /** The root key: with it, the gateway also accepts the accounts' and users' keys stored in meta. */
  rootCredentials?: RootCredentials;
  region?: string;
  baseDomains?: string[];
  /** Data nodes in this process, by address: the gateway reaches them without gRPC. */
  inProcessNodes?: ReadonlyMap<string, ChunkClient>;
  /**
   * Test-only faults (debug/unsafe-flags.ts). Absent: read once from this process's environment
   * (`ZONESTORE_UNSAFE_ACK_BEFORE_COMMIT_MS`), so a zone process started with it has them.
   */
  unsafe?: UnsafeGatewayFlags;
  /** Also (or, with `plainHttp: false`, only) serve HTTPS with this certificate on `tls.port` (0: any). */
  tls?: GatewayTlsKeyPair & { port: number };
  /** Serve plain HTTP on `port` (default true; false needs `tls`). */
  plainHttp?: boolean;
  /** The KMS root key (32 bytes) that wraps all key material in meta (services/kms/); the same on every gateway of a cluster. */
  kmsRootKey?: Buffer;
  /** Access and audit logs (access-log/): the write-ahead directory, delivery interval, audit bucket. Absent: no logging. */
  accessLog?: AccessLogOptions;
  log: Logger;
}

export class RunningGateway {
  constructor(
    private readonly servers: ReadonlyArray<Server | HttpsServer>,
    private readonly closeClients: () => void,
    /** host:port of plain HTTP; of HTTPS when plain HTTP is off. */
    readonly address: string,
    /** host:port of HTTPS, when served. */
    readonly httpsAddress?: string,
    private readonly plainHttp = true,
  ) {}

  /** The gateway's endpoint: http://, or https:// when plain HTTP is off. */
  get url(): string {
    return `${this.plainHttp ? 'http' : 'https'}://${this.address}`;
  }

  get httpsUrl(): string | undefined {
    return this.httpsAddress === undefined ? undefined : `https://${this.httpsAddress}`;
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map(async (server) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
      await closed;
      clearTimeout(timer);
    }));
    this.closeClients();
  }
}

function listen(server: Server | HttpsServer, port: number, host: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve(`${a.address}:${a.port}`);
    });
  });
}

export async function startGateway(o: GatewayOptions): Promise<RunningGateway> {
  const meta = new MetaClient({ addresses: o.metaAddresses, localAddress: o.localAddress });
  const unsafe = o.unsafe ?? unsafeFlagsFromEnv(process.env);
  for (const line of describeUnsafeFlags(unsafe)) o.log.warn(`UNSAFE TEST-ONLY FAULT ON: ${line}`);
  const deferred = unsafe.ackBeforeCommitMs !== undefined ? new DeferredCommits(unsafe.ackBeforeCommitMs, o.log) : undefined;
  const data = new ObjectDataPath({ meta, localZone: o.localZone, localAddress: o.localAddress, inProcessNodes: o.inProcessNodes, log: o.log });
  const identities = o.rootCredentials
    ? new MetaCredentialStore(o.rootCredentials, meta, new SecretSealer(keyEncryptingKey(o.rootCredentials.secretAccessKey)))
    : undefined;
  const credentials = identities?.lookup ?? o.credentials;
  if (!credentials) throw new Error('a gateway needs rootCredentials or credentials');
  const region = o.region ?? DEFAULT_REGION;
  const kms = o.kmsRootKey ? startGatewayKeyService({ meta, rootKey: o.kmsRootKey, region, log: o.log }) : undefined;
  const services: GatewayServices = {
    meta, data, buckets: new BucketCache(meta, BUCKET_CACHE_MS), region, log: o.log,
    unsafeDeferredCommits: deferred, ...(identities ? { identities } : {}), ...(kms ? { keys: kms.keys } : {}),
    metrics: new GatewayMetrics(() => listSandboxedBuckets(meta)), sandboxRate: new SandboxRateLimiter(),
  };
  const hostId = `zonestore-${o.localZone}`;
  if (o.accessLog) {
    services.accessLog = new AccessLogPipeline(o.accessLog, services, hostId, o.log);
    services.accessLog.start();
  }
  const server = createGatewayServer({
    services, credentials, handlers: OPERATION_HANDLERS, dialectOf,
    baseDomains: o.baseDomains ?? DEFAULT_BASE_DOMAINS, hostId,
  });
  // Before httpsTwin copies the server's listeners, so HTTPS requests are counted too.
  observeGatewayRequests(server, { dialectOf, baseDomains: o.baseDomains ?? DEFAULT_BASE_DOMAINS });
  const close = (): void => {
    void services.accessLog?.stop();
    const dropped = deferred?.close() ?? 0;
    if (dropped > 0) o.log.warn({ dropped }, 'unsafe: acknowledged PUTs dropped uncommitted at stop');
    kms?.stop();
    data.close();
    meta.close();
  };
  const plainHttp = o.plainHttp ?? true;
  if (!plainHttp && !o.tls) throw new Error('a gateway with plain HTTP off needs a TLS certificate');
  const secure = o.tls ? httpsTwin(server, o.tls) : undefined;
  const servers: Array<Server | HttpsServer> = [];
  let address: string | undefined;
  let httpsAddress: string | undefined;
  try {
    if (plainHttp) {
      address = await listen(server, o.port, o.host);
      servers.push(server);
      o.log.info({ address }, 'gateway listening');
    }
    if (secure && o.tls) {
      httpsAddress = await listen(secure, o.tls.port, o.host);
      servers.push(secure);
      o.log.info({ address: httpsAddress }, 'gateway HTTPS listening');
    }
  } catch (err) {
    for (const s of servers) s.close();
    close();
    throw err;
  }
  return new RunningGateway(servers, close, address ?? httpsAddress!, httpsAddress, plainHttp);
}
