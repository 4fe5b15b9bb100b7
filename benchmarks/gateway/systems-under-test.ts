// The systems the benchmark compares, behind one shape: which S3 client serves a given
// operation, which bucket, and which server processes to charge CPU to. Both are reached by the
// same client configuration, so client-side work (SigV4 with a SHA-256 of the payload over
// plain HTTP, keep-alive sockets) is the same on both sides and the ratio compares the servers.
import { rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PLACEMENT_REFRESH_MS } from '../../services/gateway/objects/data-path-limits.ts';
import { waitFor } from '../../test/integration/cluster/cluster-fixture.ts';
import type { S3Cluster } from '../../test/clients/s3-cluster-fixture.ts';
import { OP_TIMEOUT_MS } from './object-load.ts';
import { S3RVER_CREDENTIALS, S3rverProcess } from './s3rver-process.ts';
import { startZonestoreCluster, type ZoneTiming } from './zonestore-cluster.ts';

export const BENCH_BUCKET = 'gateway-bench';
const REGION = 'us-east-1';
/** Above the highest concurrency, so a worker never waits for a socket. */
const MAX_SOCKETS_PER_CLIENT = 256;
/** From a healthy cluster to every gateway taking writes: a placement refresh or two. */
const GATEWAY_WRITABLE_LIMIT_MS = 30_000;

export interface SystemUnderTest {
  /** Column label in the tables. */
  readonly label: string;
  readonly bucket: string;
  /** The client that serves operation `n` of `worker`. */
  client(worker: number, n: number): S3Client;
  /** Processes whose CPU a cell is charged with. */
  serverPids(): number[];
  /** Short names for `serverPids()`, in the same order. */
  readonly serverNames: string[];
}

/**
 * A client as the benchmark uses it. Checksums only when required: s3rver does not decode the
 * aws-chunked bodies the SDK streams with a checksum trailer, and giving zonestore the same
 * setting keeps the client's work equal. An explicit keep-alive agent, because without one the
 * SDK opens a fresh, non-keep-alive connection for every PUT above 2 MiB (Expect: 100-continue).
 */
export function benchClient(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }): S3Client {
  return new S3Client({
    endpoint, region: REGION, forcePathStyle: true, credentials, maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_CLIENT }), requestTimeout: OP_TIMEOUT_MS },
  });
}

export type ZonestoreRouting = 'spread' | 'one';

/** The three-zone cluster; `systems()` gives one view per way of reaching its gateways. */
export class ZonestoreUnderTest {
  private constructor(readonly cluster: S3Cluster, private readonly clients: S3Client[]) {}

  static async start(timing: ZoneTiming, env?: NodeJS.ProcessEnv): Promise<ZonestoreUnderTest> {
    const cluster = await startZonestoreCluster(timing, env);
    const clients = cluster.endpoints.map((e) => benchClient(e, cluster.credentials));
    try {
      await clients[0]!.send(new CreateBucketCommand({ Bucket: BENCH_BUCKET }));
      // "Healthy" means meta knows the data nodes; a gateway's placement map may still be the one
      // it read at start, without some or all of them (503 "no data nodes are registered", or a
      // read failing with "node … is not in the placement map") until its next refresh.
      await sleep(2 * PLACEMENT_REFRESH_MS);
      await Promise.all(clients.map((c, i) => waitFor(`${cluster.endpoints[i]} to accept writes`, async () => {
        await c.send(new PutObjectCommand({ Bucket: BENCH_BUCKET, Key: 'ready-probe', Body: Buffer.from('r') }));
        return true;
      }, GATEWAY_WRITABLE_LIMIT_MS)));
    } catch (err) {
      for (const c of clients) c.destroy();
      await cluster.stop();
      throw err;
    }
    return new ZonestoreUnderTest(cluster, clients);
  }

  system(routing: ZonestoreRouting): SystemUnderTest {
    const { clients, cluster } = this;
    const zones = cluster.cluster.specs.map((s) => s.zone);
    return {
      label: routing === 'spread' ? 'zonestore' : `zonestore (${zones[0]} only)`,
      bucket: BENCH_BUCKET,
      // Spread: consecutive operations of a worker go to consecutive gateways, so even c=1 uses all three.
      client: routing === 'spread' ? (worker, n) => clients[(worker + n) % clients.length]! : () => clients[0]!,
      serverPids: () => cluster.ready.map((r) => r.pid),
      serverNames: zones,
    };
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.destroy();
    await this.cluster.stop();
  }

  killNow(): void {
    this.cluster.cluster.killAllNow();
    rmSync(this.cluster.root, { recursive: true, force: true });
  }
}

export class S3rverUnderTest {
  private constructor(readonly server: S3rverProcess, private readonly s3: S3Client) {}

  static async start(): Promise<S3rverUnderTest> {
    const server = await S3rverProcess.start();
    const s3 = benchClient(server.url, S3RVER_CREDENTIALS);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: BENCH_BUCKET }));
    } catch (err) {
      s3.destroy();
      await server.stop();
      throw err;
    }
    return new S3rverUnderTest(server, s3);
  }

  system(): SystemUnderTest {
    return { label: 's3rver', bucket: BENCH_BUCKET, client: () => this.s3, serverPids: () => [this.server.pid], serverNames: ['s3rver'] };
  }

  async stop(): Promise<void> {
    this.s3.destroy();
    await this.server.stop();
  }

  killNow(): void {
    this.server.killNow();
  }
}
