// The aws CLI from Debian's awscli package against a real three-zone cluster, used exactly as
// the README shows: s3 mb / cp / ls / sync / rm / rb, with a byte-for-byte comparison of a
// directory tree (including a file big enough for the CLI's multipart upload). The cluster runs
// with TLS as `zonestore up` does (internal mutual TLS, gateways on HTTP and HTTPS): over HTTPS
// the CLI verifies the gateway's certificate against the cluster CA (--ca-bundle, AWS_CA_BUNDLE)
// and, without that CA, refuses it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runBounded } from '../integration/cluster/cluster-fixture.ts';
import { REGION, type S3Cluster, seededBytes, startS3Cluster } from './s3-cluster-fixture.ts';

const SUITE_TIMEOUT_MS = 300_000;
const AWS_COMMAND_TIMEOUT_MS = 90_000;
const APT_TIMEOUT_MS = 240_000;
const AWS = '/usr/bin/aws';

/** Debian's awscli, installed when missing (CI runs as root); the reason when that is impossible. */
function ensureAwsCli(): string | undefined {
  if (existsSync(AWS)) return undefined;
  if (process.getuid?.() !== 0) return `${AWS} is missing and installing Debian's awscli needs root`;
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'awscli'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8', timeout: APT_TIMEOUT_MS,
  });
  if (existsSync(AWS)) return undefined;
  return `apt-get install awscli failed (exit ${r.status}): ${(r.stderr || r.stdout || String(r.error)).slice(-500)}`;
}

const skipReason = ensureAwsCli();
if (skipReason) console.log(`# aws CLI tests skipped: ${skipReason}`);

let c: S3Cluster;
let work: string;

before(async () => {
  if (skipReason) return;
  work = mkdtempSync(join(tmpdir(), 'zs-awscli-'));
  c = await startS3Cluster({ tls: true });
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  await c?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function aws(...args: string[]): ReturnType<typeof runBounded> {
  return awsAt(c.endpoints[0]!, {}, ...args);
}

/** The CLI against `endpoint`, with nothing from this machine's AWS setup but `extraEnv`. */
function awsAt(endpoint: string, extraEnv: Record<string, string>, ...args: string[]): ReturnType<typeof runBounded> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work,
    AWS_ACCESS_KEY_ID: c.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: c.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: REGION, AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
    AWS_CONFIG_FILE: join(work, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
    ...extraEnv,
  };
  return runBounded(AWS, ['--endpoint-url', endpoint, ...args], { env, timeoutMs: AWS_COMMAND_TIMEOUT_MS });
}

async function ok(...args: string[]): Promise<string> {
  const r = await aws(...args);
  assert.equal(r.code, 0, `aws ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

test('aws s3 mb, cp both ways, ls, rm', { timeout: SUITE_TIMEOUT_MS, skip: skipReason }, async () => {
  await ok('s3', 'mb', 's3://cli-bucket');
  assert.match(await ok('s3', 'ls'), /cli-bucket/);
  const file = join(work, 'one.bin');
  writeFileSync(file, seededBytes(300_000, 1));
  await ok('s3', 'cp', file, 's3://cli-bucket/path/one.bin');
  assert.match(await ok('s3', 'ls', 's3://cli-bucket/path/'), /300000 one\.bin/);
  const back = join(work, 'one.back');
  await ok('s3', 'cp', 's3://cli-bucket/path/one.bin', back);
  assert.ok(readFileSync(back).equals(readFileSync(file)));
  await ok('s3', 'rm', 's3://cli-bucket/path/one.bin');
  assert.doesNotMatch(await ok('s3', 'ls', 's3://cli-bucket/', '--recursive'), /one\.bin/);
});

test('aws s3 sync of a directory tree up and down is byte-for-byte identical', { timeout: SUITE_TIMEOUT_MS, skip: skipReason }, async () => {
  const src = join(work, 'tree');
  const layout: Array<[string, number]> = [
    ['a.txt', 10], ['empty', 0], ['sub/b.bin', 200_000], ['sub/deeper/c.bin', 7 * 1024 * 1024],
    // Above the CLI's 8 MiB multipart threshold: goes up as a multipart upload.
    ['sub/big.bin', 20 * 1024 * 1024 + 5], ['spaces in name/d e.txt', 33], ['unicode-ü/€.txt', 44],
  ];
  for (const [i, [name, size]] of layout.entries()) {
    mkdirSync(join(src, name, '..'), { recursive: true });
    writeFileSync(join(src, name), seededBytes(size, 50 + i));
  }
  await ok('s3', 'mb', 's3://cli-sync');
  await ok('s3', 'sync', src, 's3://cli-sync/tree/');
  const listing = await ok('s3', 'ls', '--recursive', 's3://cli-sync/tree/');
  for (const [name] of layout) assert.ok(listing.includes(`tree/${name}`), `listed ${name}\n${listing}`);
  // A second sync finds nothing to do.
  assert.equal((await ok('s3', 'sync', src, 's3://cli-sync/tree/')).trim(), '');
  const dst = join(work, 'tree-back');
  await ok('s3', 'sync', 's3://cli-sync/tree/', dst);
  const want = files(src);
  const got = files(dst);
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
  for (const [name, bytes] of want) assert.ok(got.get(name)!.equals(bytes), `${name} differs`);
  await ok('s3', 'rm', '--recursive', 's3://cli-sync/tree/');
  await ok('s3', 'rb', 's3://cli-sync');
  assert.doesNotMatch(await ok('s3', 'ls'), /cli-sync/);
});

test('over HTTPS with certificate verification on: --ca-bundle and AWS_CA_BUNDLE trust the cluster CA', { timeout: SUITE_TIMEOUT_MS, skip: skipReason }, async () => {
  const https = c.httpsEndpoints[1]!;
  assert.match(https, /^https:\/\/127\./);
  const run = async (extraEnv: Record<string, string>, ...args: string[]): Promise<string> => {
    const r = await awsAt(https, extraEnv, ...args);
    assert.equal(r.code, 0, `aws ${args.join(' ')} over ${https} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const withFlag = (...args: string[]): Promise<string> => run({}, '--ca-bundle', c.caFile!, ...args);
  const withEnv = (...args: string[]): Promise<string> => run({ AWS_CA_BUNDLE: c.caFile! }, ...args);
  await withFlag('s3', 'mb', 's3://cli-https');
  const file = join(work, 'tls.bin');
  writeFileSync(file, seededBytes(9 * 1024 * 1024 + 3, 7)); // multipart over TLS too
  await withFlag('s3', 'cp', file, 's3://cli-https/over/tls.bin');
  assert.match(await withEnv('s3', 'ls', 's3://cli-https/over/'), /9437187 tls\.bin/);
  assert.match(await withEnv('s3', 'ls'), /cli-https/);
  const back = join(work, 'tls.back');
  await withEnv('s3', 'cp', 's3://cli-https/over/tls.bin', back);
  assert.ok(readFileSync(back).equals(readFileSync(file)), 'read back byte for byte over HTTPS');
  await withFlag('s3', 'rm', 's3://cli-https/over/tls.bin');
  await withFlag('s3', 'rb', 's3://cli-https');
});

test('over HTTPS without the cluster CA the CLI refuses the gateway\'s certificate (and sends nothing)', { timeout: SUITE_TIMEOUT_MS, skip: skipReason }, async () => {
  // One attempt: the CLI would retry a failed handshake a few times, to the same end.
  const r = await awsAt(c.httpsEndpoints[0]!, { AWS_MAX_ATTEMPTS: '1' }, 's3', 'mb', 's3://cli-untrusted');
  assert.notEqual(r.code, 0, `aws without the CA must fail\n${r.stdout}`);
  assert.match(r.stderr, /SSL validation failed|CERTIFICATE_VERIFY_FAILED|certificate verify failed/i, r.stderr);
  // The bucket was never created: the request did not get past the handshake.
  assert.doesNotMatch(await ok('s3', 'ls'), /cli-untrusted/);
});
