// Server-side encryption through Debian's aws CLI over HTTPS (the cluster CA trusted with
// --ca-bundle), as a person at a terminal would use it: `aws s3 cp --sse AES256`, `--sse aws:kms`
// (a file big enough for the CLI's multipart upload) and `--sse-c` with a key file, read back
// byte for byte, and `s3api head-object` showing the encryption.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBounded } from '../integration/cluster/cluster-fixture.ts';
import { REGION, type S3Cluster, seededBytes, startS3Cluster } from './s3-cluster-fixture.ts';

const SUITE_TIMEOUT_MS = 240_000;
const AWS = '/usr/bin/aws';
const MiB = 1024 * 1024;
let c: S3Cluster;
let work: string;

before(async () => {
  assert.ok(existsSync(AWS), `${AWS} (Debian's awscli) is needed; test/clients/aws-cli.test.ts installs it`);
  work = mkdtempSync(join(tmpdir(), 'zs-sse-awscli-'));
  c = await startS3Cluster({ tls: true });
}, { timeout: SUITE_TIMEOUT_MS });

after(async () => {
  await c?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function aws(...args: string[]): Promise<string> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work,
    AWS_ACCESS_KEY_ID: c.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: c.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: REGION, AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
    AWS_CONFIG_FILE: join(work, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-credentials'),
  };
  const r = await runBounded(AWS, ['--endpoint-url', c.httpsEndpoints[0]!, '--ca-bundle', c.caFile!, ...args], { env, timeoutMs: 90_000 });
  assert.equal(r.code, 0, `aws ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('aws s3 cp with --sse AES256, --sse aws:kms (multipart) and --sse-c over HTTPS', { timeout: SUITE_TIMEOUT_MS }, async () => {
  await aws('s3', 'mb', 's3://cli-sse');
  const small = join(work, 'small.bin');
  const big = join(work, 'big.bin');
  writeFileSync(small, seededBytes(200_000, 31));
  writeFileSync(big, seededBytes(20 * MiB + 17, 32));
  const keyFile = join(work, 'customer.key');
  writeFileSync(keyFile, randomBytes(32));

  await aws('s3', 'cp', small, 's3://cli-sse/aes', '--sse', 'AES256');
  await aws('s3', 'cp', big, 's3://cli-sse/kms-big', '--sse', 'aws:kms');
  await aws('s3', 'cp', small, 's3://cli-sse/ssec', '--sse-c', 'AES256', '--sse-c-key', `fileb://${keyFile}`);

  const headAes = JSON.parse(await aws('s3api', 'head-object', '--bucket', 'cli-sse', '--key', 'aes')) as Record<string, unknown>;
  assert.equal(headAes['ServerSideEncryption'], 'AES256');
  const headKms = JSON.parse(await aws('s3api', 'head-object', '--bucket', 'cli-sse', '--key', 'kms-big')) as Record<string, unknown>;
  assert.equal(headKms['ServerSideEncryption'], 'aws:kms');
  assert.match(String(headKms['SSEKMSKeyId']), /^arn:aws:kms:/);
  assert.equal(headKms['ContentLength'], 20 * MiB + 17);
  assert.match(String(headKms['ETag']), /-\d+"$/, 'uploaded in parts');

  for (const [key, source, extra] of [
    ['aes', small, []], ['kms-big', big, []], ['ssec', small, ['--sse-c', 'AES256', '--sse-c-key', `fileb://${keyFile}`]],
  ] as const) {
    const out = join(work, `${key}.out`);
    await aws('s3', 'cp', `s3://cli-sse/${key}`, out, ...extra);
    assert.ok(readFileSync(out).equals(readFileSync(source)), `${key} reads back byte for byte`);
  }
});
