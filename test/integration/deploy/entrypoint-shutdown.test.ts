// The image's entrypoint without Docker: three `zonestore zone` processes spawned from the same
// bundle the Dockerfile builds, configured the way containers are (environment variables and a
// mounted JSON file). SIGTERM to the zone whose gateway is mid-upload and whose replica leads:
// readiness fails at once, the upload in flight still completes, leadership is handed away, the
// process exits 0 — and the object reads back byte for byte through another zone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { freePorts } from '../../../services/common/free-ports.ts';
import { EXIT_WITH_PARENT_ENV } from '../../../services/common/process-lifecycle.ts';
import { buildServerBundle, type ServerBundle } from './server-bundle.ts';
import { ensureInternalCertificate } from '../../../services/common/tls/index.ts';

const READY_TIMEOUT_MS = 60_000;
const CLUSTER_READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 15_000;
const CREDENTIALS = { accessKeyId: 'ZSDEPLOYTEST00000001', secretAccessKey: 'deploy-test-secret-0123456789' };
/**
 * The upload: 16 MiB in 32 pieces over ~1.6 s; SIGTERM lands after a quarter of them, leaving
 * ~1.2 s of body to send inside the gateway's 5 s drain.
 */
const UPLOAD_PIECES = 32;
const PIECE_BYTES = 512 * 1024;
const PIECE_GAP_MS = 50;

interface Zone {
  index: number;
  child: ChildProcess;
  ready: Promise<Record<string, unknown>>;
  exited: Promise<number | string>;
  stderr: string[];
  gatewayPort: number;
  healthPort: number;
}

let bundle: ServerBundle;
let root: string;
const zones: Zone[] = [];

function startZone(index: number, ports: number[], peers: string, configFile: string): Zone {
  const [metaApi, metaRaft, d1, d2, d3, gatewayPort, healthPort] = ports;
  // Per-process settings through the environment, the cluster's shape through the file,
  // one flag on the command line: the three sources a container mixes.
  const child = spawn(process.execPath, [bundle.file, 'zone', '--zone', `zone-${index}`], {
    cwd: root,
    env: {
      ...process.env, [EXIT_WITH_PARENT_ENV]: '1', ZONESTORE_CONFIG: configFile,
      ZONESTORE_META_ID: `meta-${index}`, ZONESTORE_META_PEERS: peers, ZONESTORE_DATA_DIR: join(root, `zone-${index}`),
      ZONESTORE_META_API_PORT: String(metaApi), ZONESTORE_META_RAFT_PORT: String(metaRaft),
      ZONESTORE_DATA_NODE_PORTS: `${d1},${d2},${d3}`, ZONESTORE_GATEWAY_PORT: String(gatewayPort),
      ZONESTORE_HEALTH_PORT: String(healthPort),
      ZONESTORE_ROOT_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, ZONESTORE_ROOT_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`zone-${index} not READY in ${READY_TIMEOUT_MS} ms:\n${stderr.slice(-10).join('\n')}`)), READY_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(6)) as Record<string, unknown>);
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`zone-${index} exited (${how}) before READY:\n${stderr.slice(-10).join('\n')}`));
    });
  });
  ready.catch(() => {});
  return { index, child, ready, exited, stderr, gatewayPort: gatewayPort!, healthPort: healthPort! };
}

async function httpStatus(url: string): Promise<number> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

function s3(zone: Zone): S3Client {
  return new S3Client({
    endpoint: `http://127.0.0.1:${zone.gatewayPort}`, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS,
    maxAttempts: 1,
  });
}

/** The meta replica that leads, from the zones' own logs (its last role change wins). */
function leaderZone(): Zone | undefined {
  let latest: { zone: Zone; time: number } | undefined;
  for (const z of zones) {
    for (const line of z.stderr) {
      if (!line.includes('"raft role changed"')) continue;
      const rec = JSON.parse(line) as { time: number; role: string; id: string; leader: string };
      if (rec.role === 'leader' && (!latest || rec.time > latest.time)) latest = { zone: z, time: rec.time };
    }
  }
  return latest?.zone;
}

before(async () => {
  bundle = buildServerBundle();
  root = mkdtempSync(join(tmpdir(), 'zonestore-entrypoint-'));
  const ports = await freePorts(21);
  const perZone = [0, 1, 2].map((i) => ports.slice(i * 7, i * 7 + 7));
  const peers = perZone.map((p, i) => `meta-${i + 1}=127.0.0.1:${p[1]}/127.0.0.1:${p[0]}`).join(',');
  const configFile = join(root, 'zonestore.json');
  // Internal mutual TLS as containers get it: one shared certificate of the cluster CA, named in the file.
  const internal = ensureInternalCertificate(join(root, 'tls'), 'internal');
  const kmsRootKeyFile = join(root, 'kms-root.key');
  writeFileSync(kmsRootKeyFile, `${randomBytes(32).toString('base64')}\n`);
  writeFileSync(configFile, JSON.stringify({
    listenHost: '127.0.0.1', tickMs: 50, reportTimeoutMs: 3000, tlsCa: internal.caFile, tlsCert: internal.certFile, tlsKey: internal.keyFile, kmsRootKeyFile,
  }));
  for (const i of [1, 2, 3]) zones.push(startZone(i, perZone[i - 1]!, peers, configFile));
  await Promise.all(zones.map((z) => z.ready));
  const deadline = Date.now() + CLUSTER_READY_TIMEOUT_MS;
  while (!(await Promise.all(zones.map((z) => httpStatus(`http://127.0.0.1:${z.healthPort}/readyz`)))).every((s) => s === 200)) {
    if (Date.now() > deadline) throw new Error('the zones never all reported ready on /readyz');
    await sleep(200);
  }
});

after(async () => {
  for (const z of zones) if (z.child.exitCode === null && z.child.signalCode === null) z.child.kill('SIGKILL');
  await Promise.all(zones.map((z) => Promise.race([z.exited, sleep(EXIT_TIMEOUT_MS)])));
  bundle?.remove();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('health endpoints: /livez, /readyz and /metrics answer on every zone', async () => {
  for (const z of zones) {
    assert.equal(await httpStatus(`http://127.0.0.1:${z.healthPort}/livez`), 200);
    const r = await fetch(`http://127.0.0.1:${z.healthPort}/readyz`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { ready: true, checks: { leader: 'ok', dataNodes: 'ok' } });
    const metrics = await (await fetch(`http://127.0.0.1:${z.healthPort}/metrics`)).text();
    assert.match(metrics, /^zonestore_ready\{role="zone"\} 1$/m);
    assert.match(metrics, /^zonestore_readiness_check\{role="zone",check="leader"\} 1$/m);
  }
});

test('SIGTERM mid-upload: the upload completes, leadership is handed away, exit 0, nothing lost', async () => {
  // Wait for a settled leader, and stop the zone that has it (the hardest case for a clean stop).
  let victim: Zone | undefined;
  for (const deadline = Date.now() + 10_000; !victim && Date.now() < deadline; await sleep(100)) victim = leaderZone();
  assert.ok(victim, 'no meta leader seen in the logs');
  const other = zones.find((z) => z !== victim)!;
  const client = s3(victim);
  await client.send(new CreateBucketCommand({ Bucket: 'drain' }));

  const pieces = Array.from({ length: UPLOAD_PIECES }, () => randomBytes(PIECE_BYTES));
  const expected = createHash('sha256').update(Buffer.concat(pieces)).digest('hex');
  let sent = 0;
  const body = Readable.from((async function* () {
    for (const p of pieces) {
      sent++;
      yield p;
      await sleep(PIECE_GAP_MS);
    }
  })());
  const upload = client.send(new PutObjectCommand({ Bucket: 'drain', Key: 'big', Body: body, ContentLength: UPLOAD_PIECES * PIECE_BYTES }));
  while (sent < UPLOAD_PIECES / 4) await sleep(10);

  const stopAt = Date.now();
  victim.child.kill('SIGTERM');
  await sleep(150);
  assert.equal(await httpStatus(`http://127.0.0.1:${victim.healthPort}/readyz`), 503, 'readiness must fail as soon as the stop begins');
  assert.ok(sent < UPLOAD_PIECES, 'the upload was still being sent when the stop began');

  const put = await upload;
  assert.ok(put.ETag, 'the upload in flight was acknowledged');
  const how = await Promise.race([victim.exited, sleep(EXIT_TIMEOUT_MS).then(() => 'still running')]);
  assert.equal(how, 0, `the stopped zone exits 0 (got ${how}); its last lines:\n${victim.stderr.slice(-8).join('\n')}`);
  assert.ok(Date.now() - stopAt < 12_000, 'the stop fits in a container\'s grace period');
  assert.ok(victim.stderr.some((l) => l.includes('leadership handed away before stopping')), 'the leader handed leadership away');
  assert.ok(victim.stderr.at(-1)?.includes('"msg":"stopped"'), 'the last log line is the stop, flushed before exit');

  // Through another zone: the acknowledged object, byte for byte; and writes go on without the zone.
  const reader = s3(other);
  const got = await reader.send(new GetObjectCommand({ Bucket: 'drain', Key: 'big' }));
  const bytes = Buffer.from(await got.Body!.transformToByteArray());
  assert.equal(createHash('sha256').update(bytes).digest('hex'), expected);
  await reader.send(new PutObjectCommand({ Bucket: 'drain', Key: 'after', Body: 'still writable' }));
  const after = await reader.send(new GetObjectCommand({ Bucket: 'drain', Key: 'after' }));
  assert.equal(await after.Body!.transformToString(), 'still writable');
});
