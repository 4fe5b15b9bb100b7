// Access logs end to end on a real three-zone cluster: Put/Get/DeleteBucketLogging through
// @aws-sdk/client-s3 and ali-oss; N mixed requests (PUT/GET/HEAD/DELETE/LIST, 403/404,
// anonymous) to a logged bucket become exactly N records in the target bucket, with the right
// fields; a zone process killed with SIGKILL before its next delivery and restarted loses none
// of its records; admin / KMS API actions land in the audit bucket.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  CreateBucketCommand, DeleteObjectCommand, GetBucketLoggingCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectsV2Command, PutBucketLoggingCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { waitFor } from '../integration/cluster/cluster-fixture.ts';
import { FAST_ZONE_ARGS, REGION, s3Client, type S3Cluster, startS3Cluster } from './s3-cluster-fixture.ts';
import { ossClient } from './oss/oss-fixture.ts';

const SUITE_TIMEOUT_MS = 300_000;
const INTERVAL_MS = 6_000;
const SRC = 'al-src';
const TARGET = 'al-target';
const AUDIT = 'al-audit';
let c: S3Cluster;
let s3: S3Client[];
/** Request id → what its record must say: every request to the logged bucket once logging is on. */
const expected = new Map<string, { status: number; op: string; key: string; anonymous?: boolean }>();

before(async () => {
  c = await startS3Cluster({ zoneArgs: [...FAST_ZONE_ARGS, '--access-log-interval-ms', String(INTERVAL_MS), '--audit-bucket', AUDIT] });
  s3 = c.endpoints.map((e) => s3Client(e, c.credentials));
  for (const b of [SRC, TARGET, AUDIT]) await s3[0]!.send(new CreateBucketCommand({ Bucket: b }));
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  for (const client of s3 ?? []) client.destroy();
  await c?.stop();
});

interface Line { fields: string[]; raw: string }

/** S3 server-access-log fields: tokens, "quoted" and [bracketed] ones kept whole. */
function fieldsOf(line: string): string[] {
  return line.match(/"[^"]*"|\[[^\]]*\]|\S+/g) ?? [];
}

async function deliveredLines(bucket: string, prefix: string): Promise<Line[]> {
  const out: Line[] = [];
  let token: string | undefined;
  do {
    const page = await s3[0]!.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const body = await (await s3[0]!.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToString();
      for (const raw of body.split('\n')) if (raw) out.push({ raw, fields: fieldsOf(raw) });
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

async function requestIdOf(p: Promise<{ $metadata: { requestId?: string } }>): Promise<{ id: string; status: number }> {
  try {
    const r = await p;
    return { id: r.$metadata.requestId!, status: (r.$metadata as { httpStatusCode?: number }).httpStatusCode ?? 200 };
  } catch (err) {
    const e = err as { $metadata?: { requestId?: string; httpStatusCode?: number } };
    return { id: e.$metadata!.requestId!, status: e.$metadata!.httpStatusCode! };
  }
}

test('Put/Get/DeleteBucketLogging: S3 and OSS, target must exist', { timeout: 60_000 }, async () => {
  await assert.rejects(s3[0]!.send(new PutBucketLoggingCommand({ Bucket: SRC, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'al-none', TargetPrefix: 'x/' } } })),
    (e: { name: string; $metadata: { httpStatusCode: number } }) => e.name === 'InvalidTargetBucketForLogging' && e.$metadata.httpStatusCode === 400);
  const oss = ossClient(c.endpoints[1]!, c.credentials);
  await oss.putBucketLogging(TARGET, 'self/');
  const got = await oss.getBucketLogging(TARGET);
  assert.equal(got.enable, true);
  assert.equal(got.prefix, 'self/');
  await oss.deleteBucketLogging(TARGET);
  assert.equal((await oss.getBucketLogging(TARGET)).enable, false);
  const enabled = await s3[0]!.send(new PutBucketLoggingCommand({ Bucket: SRC, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: TARGET, TargetPrefix: 'logs/' } } }));
  // The request that turns logging on is itself logged (its response is over once the config is stored).
  expected.set(enabled.$metadata.requestId!, { status: 200, op: 'REST.PUT.LOGGING', key: '' });
  const s3Got = await s3[0]!.send(new GetBucketLoggingCommand({ Bucket: SRC }));
  expected.set(s3Got.$metadata.requestId!, { status: 200, op: 'REST.GET.LOGGING', key: '' });
  assert.deepEqual(s3Got.LoggingEnabled, { TargetBucket: TARGET, TargetPrefix: 'logs/' });
});

test('N mixed requests become exactly N records; a SIGKILLed zone loses none', { timeout: 180_000 }, async () => {
  // Every gateway must see the logging configuration (bucket cache) before the traffic starts.
  await new Promise((r) => setTimeout(r, 2_000));
  const sendMixed = async (zone: number, tag: string): Promise<void> => {
    const client = s3[zone]!;
    const key = `${tag}-obj`;
    const add = async (p: Promise<{ $metadata: { requestId?: string } }>, op: string, k: string) => {
      const { id, status } = await requestIdOf(p);
      expected.set(id, { status, op, key: k });
    };
    await add(client.send(new PutObjectCommand({ Bucket: SRC, Key: key, Body: 'hello' })), 'REST.PUT.OBJECT', key);
    await add(client.send(new GetObjectCommand({ Bucket: SRC, Key: key })).then(async (r) => { await r.Body!.transformToString(); return r; }), 'REST.GET.OBJECT', key);
    await add(client.send(new HeadObjectCommand({ Bucket: SRC, Key: key })), 'REST.HEAD.OBJECT', key);
    await add(client.send(new GetObjectCommand({ Bucket: SRC, Key: `${tag}-missing` })), 'REST.GET.OBJECT', `${tag}-missing`);
    await add(client.send(new ListObjectsV2Command({ Bucket: SRC })), 'REST.GET.BUCKET', '');
    const anon = await fetch(`${c.endpoints[zone]}/${SRC}/${key}`);
    await anon.arrayBuffer();
    expected.set(anon.headers.get('x-amz-request-id')!, { status: anon.status, op: 'REST.GET.OBJECT', key, anonymous: true });
    await add(client.send(new DeleteObjectCommand({ Bucket: SRC, Key: key })), 'REST.DELETE.OBJECT', key);
  };
  await sendMixed(0, 'a');
  await sendMixed(0, 'b');
  // Zone 2 takes traffic and is killed before it can deliver (its records are still in its WAL).
  await sendMixed(2, 'c');
  const walDir = join(c.cluster.specs[2]!.dataDir, 'access-log');
  const pending = readdirSync(walDir).reduce((n, f) => n + readFileSync(join(walDir, f), 'utf8').split('\n').filter(Boolean).length, 0);
  await c.cluster.kill(c.cluster.specs[2]!.zone, 'SIGKILL');
  assert.ok(pending > 0, 'the killed zone had undelivered records');
  // A restarted zone's gateway may listen on a new port.
  c.endpoints[2] = (await c.cluster.start(c.cluster.specs[2]!.zone)).gateway.url;

  const statuses = [...expected.values()].map((e) => e.status);
  assert.ok(statuses.includes(404) && statuses.includes(403) && statuses.includes(204), `statuses ${statuses.join(',')}`);
  // Poll until every record is there (or the limit passes); the assertions below then say which is missing.
  let lines: Line[] = [];
  for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 1_000))) {
    lines = await deliveredLines(TARGET, 'logs/');
    if (lines.length >= expected.size) break;
  }
  const byId = new Map<string, string[]>();
  for (const l of lines) {
    assert.ok(!byId.has(l.fields[5]!), `record ${l.fields[5]} delivered twice`);
    byId.set(l.fields[5]!, l.fields);
  }
  const unexpected = lines.filter((l) => !expected.has(l.fields[5]!)).map((l) => l.raw);
  assert.deepEqual(unexpected, [], 'no records beyond the N requests');
  const missing = [...expected].filter(([id]) => !byId.has(id)).map(([id, e]) => `${id} ${e.op} ${e.key} ${e.status}`);
  assert.deepEqual(missing, [], 'every request has its record');
  assert.equal(lines.length, expected.size, 'exactly the N records');
  for (const [id, want] of expected) {
    const f = byId.get(id);
    assert.ok(f, `record of request ${id} (${want.op} ${want.key})`);
    assert.equal(f[1], SRC);
    assert.match(f[2]!, /^\[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\]$/);
    assert.equal(f[3], '127.0.0.1');
    assert.equal(f[4], want.anonymous ? '-' : f[0], 'requester is the bucket owner, or - when anonymous');
    assert.equal(f[6], want.op);
    assert.equal(f[7], want.key ? encodeURIComponent(want.key) : '-');
    assert.equal(Number(f[9]), want.status);
    assert.equal(f[10], want.status === 404 ? 'NoSuchKey' : want.status === 403 ? 'AccessDenied' : '-');
  }
  const keys = (await s3[0]!.send(new ListObjectsV2Command({ Bucket: TARGET, Prefix: 'logs/' }))).Contents!.map((o) => o.Key!);
  for (const k of keys) assert.match(k, new RegExp(`^logs/${SRC}\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d-[0-9a-z]+-[0-9a-f]{8}$`));
});

test('logs query: every gateway asked, errors grouped by status; a bad where is a clear 400', { timeout: 60_000 }, async () => {
  const env = { ...process.env, ZONESTORE_ACCESS_KEY_ID: c.credentials.accessKeyId, ZONESTORE_SECRET_ACCESS_KEY: c.credentials.secretAccessKey };
  const args = ['--import', 'tsx', 'services/cli/main.ts', 'logs', 'query', ...c.endpoints.flatMap((e) => ['--endpoint', e]),
    '--bucket', SRC, '--since', '1h', '--where', 'status>=400', '--group-by', 'status', '--json'];
  const out = JSON.parse(execFileSync(process.execPath, args, { env, timeout: 30_000, encoding: 'utf8' })) as { gateways: unknown[]; groups: Array<{ value: string; count: number }> };
  assert.equal(out.gateways.length, 3);
  const want = new Map<string, number>();
  for (const e of expected.values()) if (e.status >= 400) want.set(String(e.status), (want.get(String(e.status)) ?? 0) + 1);
  assert.deepEqual(new Map(out.groups.map((g) => [g.value, g.count])), want);
  const bad = (() => {
    try {
      execFileSync(process.execPath, [...args.slice(0, -5), '--where', 'status>=oops'], { env, timeout: 30_000, encoding: 'utf8', stdio: 'pipe' });
      return '';
    } catch (err) {
      return String((err as { stderr: string }).stderr);
    }
  })();
  assert.match(bad, /where: 'status' is a number; 'oops' is not \(at character 9\).*HTTP 400/);
});

test('KMS API actions are audit records in the audit bucket', { timeout: 60_000 }, async () => {
  const kms = new KMSClient({ endpoint: `${c.endpoints[0]}/_zonestore/kms`, region: REGION, credentials: c.credentials, maxAttempts: 1 });
  const r = await kms.send(new CreateKeyCommand({ Description: 'audited' }));
  kms.destroy();
  const id = r.$metadata.requestId;
  const lines = await waitFor('the CreateKey audit record', async () => {
    const got = await deliveredLines(AUDIT, 'audit/');
    return got.some((l) => l.raw.includes('kms:CreateKey')) ? got : undefined;
  }, 30_000);
  const line = lines.find((l) => l.raw.includes('kms:CreateKey'))!;
  assert.equal(line.fields[9], '200');
  if (id) assert.equal(line.fields[5], id);
  assert.ok(existsSync(join(c.cluster.specs[0]!.dataDir, 'access-log')));
});
