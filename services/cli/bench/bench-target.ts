// What the runner measures, behind one shape: the S3 clients that reach it, the server
// processes whose CPU and memory belong to it (known only for what the tool started itself),
// how it takes seed objects, and how it is stopped. Targets: the local cluster the tool starts,
// any S3 endpoint, an s3rver the tool starts, and (suite) the physical-limit servers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { S3RVER_CREDENTIALS, S3rverProcess } from '../../../benchmarks/gateway/s3rver-process.ts';
import { benchS3Client, type BenchClientOptions, type Credentials } from './bench-s3-client.ts';
import { startLocalCluster } from './local-bench-cluster.ts';
import type { ServerProcess } from './server-sampler.ts';

export type TargetKind = 'zonestore-local' | 'endpoint' | 's3rver' | 'nginx' | 'fsync-sink';

/** Operations a target can serve; the limit servers serve only their half. */
export type Capability = 'read' | 'write' | 'list' | 'delete' | 'multipart';
export const ALL_CAPABILITIES: readonly Capability[] = ['read', 'write', 'list', 'delete', 'multipart'];

export interface BenchTarget {
  readonly label: string;
  readonly kind: TargetKind;
  readonly endpoints: readonly string[];
  readonly capabilities: ReadonlySet<Capability>;
  /** Whether the tool started it, so its storage goes away with it (no per-object cleanup). */
  readonly throwaway: boolean;
  /** The client for operation `seq` of `worker`. */
  client(worker: number, seq: number): S3Client;
  /** Every distinct client, to warm their sockets up before a slice. */
  clients(): readonly S3Client[];
  servers(): ServerProcess[];
  /**
   * Places a seed object without the S3 API (nginx serves files). Absent: seed objects are PUT
   * through the target's own client.
   */
  seedObject?(bucket: string, key: string, body: Buffer): void;
  stop(): Promise<void>;
  killNow(): void;
}

interface ClientSet {
  clients: S3Client[];
  /** Consecutive operations of a worker go to consecutive clients, so even c=1 uses each gateway. */
  client(worker: number, seq: number): S3Client;
}

function clientSet(endpoints: readonly string[], credentials: Credentials, opts: BenchClientOptions): ClientSet {
  const clients = endpoints.map((e) => benchS3Client(e, credentials, opts));
  return { clients, client: (worker, seq) => clients[(worker + seq) % clients.length]! };
}

export type LocalRouting = 'spread' | 'one';

export async function startLocalTarget(
  clientOpts: BenchClientOptions, routing: LocalRouting, env?: NodeJS.ProcessEnv, label = 'zonestore',
): Promise<BenchTarget> {
  const cluster = await startLocalCluster({ env, tempPrefix: 'zonestore-bench-' });
  const endpoints = routing === 'spread' ? cluster.endpoints : cluster.endpoints.slice(0, 1);
  const set = clientSet(endpoints, cluster.credentials, clientOpts);
  return {
    label, kind: 'zonestore-local', endpoints, capabilities: new Set(ALL_CAPABILITIES), throwaway: true,
    client: set.client, clients: () => set.clients,
    servers: () => cluster.zones.map((z) => ({ name: z.zone, pid: z.pid })),
    stop: async () => {
      for (const c of set.clients) c.destroy();
      await cluster.stop();
    },
    killNow: () => cluster.killNow(),
  };
}

export function endpointTarget(endpoint: string, credentials: Credentials, clientOpts: BenchClientOptions, label = endpoint): BenchTarget {
  const set = clientSet([endpoint], credentials, clientOpts);
  return {
    label, kind: 'endpoint', endpoints: [endpoint], capabilities: new Set(ALL_CAPABILITIES), throwaway: false,
    client: set.client, clients: () => set.clients, servers: () => [],
    stop: async () => { for (const c of set.clients) c.destroy(); },
    killNow: () => {},
  };
}

export async function startS3rverTarget(clientOpts: BenchClientOptions): Promise<BenchTarget> {
  // s3rver 3.7 encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 20)
  // offers only from its legacy provider: without it every truncated listing is a 500. The
  // child inherits this process's environment when it is spawned, so it is set just for that.
  const before = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${before ?? ''} --openssl-legacy-provider`.trim();
  let server: S3rverProcess;
  try {
    server = await S3rverProcess.start();
  } finally {
    if (before === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = before;
  }
  // s3rver cannot decode the aws-chunked bodies that checksum trailers need.
  const set = clientSet([server.url], S3RVER_CREDENTIALS, { ...clientOpts, checksums: 'required' });
  return {
    label: 's3rver', kind: 's3rver', endpoints: [server.url], capabilities: new Set(ALL_CAPABILITIES), throwaway: true,
    client: set.client, clients: () => set.clients, servers: () => [{ name: 's3rver', pid: server.pid }],
    stop: async () => {
      for (const c of set.clients) c.destroy();
      await server.stop();
    },
    killNow: () => server.killNow(),
  };
}

/** A target that serves files from `root/<bucket>/<key>`: seeds are written there directly. */
export function fileSeeder(root: string): (bucket: string, key: string, body: Buffer) => void {
  return (bucket, key, body) => {
    const file = join(root, bucket, ...key.split('/'));
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, body, { mode: 0o644 });
  };
}
