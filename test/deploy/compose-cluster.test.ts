// The three-zone docker-compose cluster on a real Docker engine (see docker-engine.ts): the
// image built from deploy/Dockerfile, the cluster brought up by testcontainers, S3 traffic only
// to the gateways' ports published on 127.0.0.1. One zone at a time is stopped, paused, and cut
// off the inter-zone network; reads and writes go on through the other zones, nothing
// acknowledged is lost, and each zone serves everything again once it is back. Internal gRPC is
// mutual TLS with init.sh's certificates: a container of the test's own on the inter-zone network,
// without a cluster certificate, is refused by data nodes and meta replicas.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateBucketCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { create, toBinary } from '@bufbuild/protobuf';
import { startDockerEngine, type DockerEngine } from './docker-engine.ts';
import { ComposeCluster, containerOf, type GrpcProbe } from './compose-fixture.ts';
import { createClusterCa, issueInternalCertificate } from '../../services/common/tls/index.ts';
import { GetChunkRequestSchema } from '../../services/common/gen/zonestore/data/v1/data_pb.ts';
import { CreateBucketRequestSchema } from '../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';

const BUCKET = 'deploy';
/** One operation may meet a zone's loss: the cluster's write RTO is seconds, this is the bound. */
const OP_RETRY_MS = 45_000;
const ZONE_BACK_TIMEOUT_MS = 120_000;

let engine: DockerEngine | undefined;
let cluster: ComposeCluster | undefined;
/** Every acknowledged write: key → sha256 of its bytes. */
const acknowledged = new Map<string, string>();
const log = (line: string): void => void process.stderr.write(`[deploy test] ${line}\n`);

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Small objects are replicated, larger ones erasure-coded: both kinds in every phase. */
function bodyFor(i: number): Buffer {
  return randomBytes(i % 3 === 0 ? 1_500_000 : 3_000 + i);
}

/** Attempts of the last retrying() call that failed before one succeeded. */
let lastFailures: string[] = [];

async function retrying<T>(what: string, op: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + OP_RETRY_MS;
  let last: unknown;
  lastFailures = [];
  while (Date.now() < deadline) {
    const started = Date.now();
    try {
      return await op();
    } catch (err) {
      last = err;
      lastFailures.push(`${(err as Error)?.name ?? 'Error'} after ${Date.now() - started} ms`);
      await sleep(500);
    }
  }
  throw new Error(`${what}: still failing after ${OP_RETRY_MS} ms: ${(last as Error)?.message}`);
}

async function writeObjects(client: S3Client, prefix: string, count: number): Promise<void> {
  const started = Date.now();
  const each: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = `${prefix}/${i}`;
    const body = bodyFor(i);
    const t0 = Date.now();
    // A retried PUT writes the same bytes under the same key: acknowledged once any attempt is.
    await retrying(`PUT ${key}`, () => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body })));
    each.push(`${Date.now() - t0} ms${lastFailures.length > 0 ? ` (after ${lastFailures.join(', ')})` : ''}`);
    acknowledged.set(key, sha(body));
  }
  log(`${prefix}: ${count} PUTs acknowledged in ${Date.now() - started} ms: ${each.join('; ')}`);
}

async function checkEverything(client: S3Client, where: string): Promise<void> {
  const started = Date.now();
  for (const [key, digest] of acknowledged) {
    const got = await retrying(`GET ${key} via ${where}`, async () => {
      const r = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return Buffer.from(await r.Body!.transformToByteArray());
    });
    assert.equal(sha(got), digest, `${key} read through ${where} is the acknowledged bytes`);
  }
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await retrying(`LIST via ${where}`, () => client.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token })));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  assert.deepEqual(keys.sort(), [...acknowledged.keys()].sort(), `the listing through ${where} is exactly the acknowledged keys`);
  log(`${where}: ${acknowledged.size} objects read back and listed in ${Date.now() - started} ms`);
}

before(async () => {
  engine = await startDockerEngine();
  cluster = await ComposeCluster.start(engine, log);
  log(`cluster up; gateways on 127.0.0.1:${cluster.gatewayPorts.join(', :')}`);
});

after(async () => {
  if (cluster) {
    log('docker-compose down -v');
    await cluster.down();
  }
  await engine?.stop();
});

test('PUT, GET and LIST through the published 127.0.0.1 ports of every zone, HTTP and HTTPS', async () => {
  const c = cluster!;
  await retrying('CreateBucket', () => c.s3(1).send(new CreateBucketCommand({ Bucket: BUCKET })));
  await writeObjects(c.s3(1), 'initial-z1', 4);
  await writeObjects(c.s3(2), 'initial-z2', 2);
  for (const z of [1, 2, 3]) await checkEverything(c.s3(z), `gateway-${z}`);
  // HTTPS with the certificate init.sh made, verified against its CA.
  await writeObjects(c.s3Tls(2), 'initial-tls-z2', 2);
  for (const z of [1, 2, 3]) await checkEverything(c.s3Tls(z), `gateway-${z} over TLS`);
});

test('internal gRPC is mutual TLS: without a cluster certificate a data node and a meta replica refuse; S3 goes on', async () => {
  const c = cluster!;
  const now = new Date();
  const otherCa = createClusterCa({ now, commonName: 'not the cluster CA' });
  const intruder = issueInternalCertificate(otherCa, { commonName: 'intruder', now });
  const files = {
    'ca.crt': c.secret('ca.crt'), 'internal.crt': c.secret('internal.crt'), 'internal.key': c.secret('internal.key'),
    'intruder.crt': intruder.certPem, 'intruder.key': intruder.keyPem,
  };
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
  const getChunk = b64(toBinary(GetChunkRequestSchema, create(GetChunkRequestSchema, { chunkId: 'any' })));
  const createBucket = b64(toBinary(CreateBucketRequestSchema, create(CreateBucketRequestSchema, { name: 'intruder-bucket', owner: 'intruder', region: 'us-east-1' })));
  // The CA certificate is no secret: an intruder trusts the servers, but has no certificate they accept.
  const ways: Record<string, GrpcProbe['tls']> = {
    'plaintext': 'none',
    'TLS, no client certificate': { ca: '/probe/ca.crt' },
    'a certificate of another CA': { ca: '/probe/ca.crt', cert: '/probe/intruder.crt', key: '/probe/intruder.key' },
  };
  const refused: GrpcProbe[] = Object.entries(ways).flatMap(([way, tls]) => [
    { name: `data-1-1 GetChunk, ${way}`, target: 'data-1-1:7100', method: '/zonestore.data.v1.DataService/GetChunk', stream: true, requestBase64: getChunk, tls },
    { name: `meta-2 CreateBucket, ${way}`, target: 'meta-2:7000', method: '/zonestore.meta.v1.MetaService/CreateBucket', requestBase64: createBucket, tls },
    { name: `meta-3 Raft, ${way}`, target: 'meta-3:7001', method: '/zonestore.raft.v1.RaftTransportService/Stream', tls },
  ]);
  // The same path with the cluster's certificate gets through: the refusals are the certificate's doing.
  const withClusterCert = { ca: '/probe/ca.crt', cert: '/probe/internal.crt', key: '/probe/internal.key' };
  const allowed: GrpcProbe[] = [
    { name: 'data-1-1 NodeInfo, cluster certificate', target: 'data-1-1:7100', method: '/zonestore.data.v1.DataService/NodeInfo', tls: withClusterCert },
    { name: 'meta-2 Status, cluster certificate', target: 'meta-2:7000', method: '/zonestore.meta.v1.MetaService/Status', tls: withClusterCert },
  ];
  const probeStarted = Date.now();
  const results = await c.grpcProbe([...refused, ...allowed], files);
  log(`gRPC probes (${Date.now() - probeStarted} ms, container included): ${results.map((r) => `${r.name}: ${r.codeName}`).join('; ')}`);
  for (const r of results.slice(0, refused.length)) {
    assert.equal(r.codeName, 'UNAVAILABLE', `${r.name} is refused at the handshake (${r.codeName}: ${r.details})`);
  }
  for (const r of results.slice(refused.length)) assert.equal(r.codeName, 'OK', `${r.name} is served (${r.details})`);
  // Nothing the intruder sent was stored, and S3 (gateways on mTLS to meta and data) goes on.
  assert.equal(await c.s3(2).send(new HeadBucketCommand({ Bucket: 'intruder-bucket' })).then(() => 200, (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode), 404);
  await writeObjects(c.s3Tls(3), 'mtls', 2);
  await checkEverything(c.s3(1), 'gateway-1 (after the probes)');
  // `zonestore status` inside a container presents that container's certificate (ZONESTORE_TLS_*).
  const statusStarted = Date.now();
  const status = await retrying('zonestore status in meta-1', () => c.docker(['exec', containerOf('meta-1'), 'zonestore', 'status', '--endpoint', 'meta-1:7000']));
  log(`zonestore status in meta-1: ${Date.now() - statusStarted} ms`);
  assert.match(status.stdout, /^cluster {2}healthy/, status.stdout);
  assert.match(status.stdout, /meta replicas \(3\)/);
});

test('zone 3 stopped: reads and writes go on; back, it catches up', async () => {
  const c = cluster!;
  const stopStarted = Date.now();
  const exits = await c.stopZone(3);
  log(`zone 3 stopped in ${Date.now() - stopStarted} ms: ${JSON.stringify(exits)}`);
  // node runs as PID 1 (no init): SIGTERM must give a graceful stop, not docker's SIGKILL.
  for (const [name, code] of Object.entries(exits)) assert.equal(code, 0, `${name} exits 0 on docker stop`);
  await writeObjects(c.s3(1), 'zone3-stopped', 4);
  await checkEverything(c.s3(2), 'gateway-2 (zone 3 stopped)');
  await c.startZone(3);
  await c.waitZoneHealthy(3, ZONE_BACK_TIMEOUT_MS);
  await checkEverything(c.s3(3), 'gateway-3 (back after a stop)');
});

test('zone 2 paused: reads and writes go on; unpaused, it serves everything', async () => {
  const c = cluster!;
  await c.pauseZone(2);
  try {
    await writeObjects(c.s3(1), 'zone2-paused', 4);
    await checkEverything(c.s3(3), 'gateway-3 (zone 2 paused)');
  } finally {
    await c.unpauseZone(2);
  }
  await c.waitZoneHealthy(2, ZONE_BACK_TIMEOUT_MS);
  await checkEverything(c.s3(2), 'gateway-2 (after unpause)');
});

test('zone 3 cut off the inter-zone network: the others go on; reconnected, it catches up', async () => {
  const c = cluster!;
  await c.disconnectZone(3);
  try {
    await writeObjects(c.s3(1), 'zone3-cut-off', 4);
    await checkEverything(c.s3(2), 'gateway-2 (zone 3 cut off)');
  } finally {
    await c.reconnectZone(3);
  }
  await c.waitZoneHealthy(3, ZONE_BACK_TIMEOUT_MS);
  await checkEverything(c.s3(3), 'gateway-3 (reconnected)');
  await checkEverything(c.s3(1), 'gateway-1 (the end)');
});
