// Bucket operations through @aws-sdk/client-s3 against a real three-zone cluster, plus
// the bucket-level error codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteBucketCommand, GetBucketLocationCommand, GetBucketVersioningCommand, HeadBucketCommand,
  ListBucketsCommand, PutBucketVersioningCommand, PutObjectCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { Agent } from 'node:http';
import type { LookupFunction } from 'node:net';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { bodyBytes, errorCode, s3Client, useS3Cluster } from './s3-cluster-fixture.ts';

const SUITE_TIMEOUT_MS = 180_000;
const suite = useS3Cluster({ timeoutMs: SUITE_TIMEOUT_MS });

test('create, head, list, locate and delete a bucket', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const created = await suite.s3.send(new CreateBucketCommand({ Bucket: 'alpha' }));
  assert.equal(created.Location, '/alpha');
  await suite.s3.send(new HeadBucketCommand({ Bucket: 'alpha' }));
  const listed = await suite.s3.send(new ListBucketsCommand({}));
  assert.ok(listed.Buckets?.some((b) => b.Name === 'alpha' && b.CreationDate instanceof Date));
  assert.ok(listed.Owner?.ID, 'the owner is named');
  const where = await suite.s3.send(new GetBucketLocationCommand({ Bucket: 'alpha' }));
  // us-east-1 is reported as the empty constraint, as S3 does.
  assert.ok(['', undefined, 'us-east-1'].includes(where.LocationConstraint as string | undefined));
  await suite.s3.send(new DeleteBucketCommand({ Bucket: 'alpha' }));
  assert.equal(await errorCode(suite.s3.send(new HeadBucketCommand({ Bucket: 'alpha' }))), 'NotFound');
});

test('a bucket created through one zone is seen through the others at once', { timeout: SUITE_TIMEOUT_MS }, async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'everywhere' }));
  for (const endpoint of suite.c.endpoints.slice(1)) {
    const other = s3Client(endpoint, suite.c.credentials);
    try {
      await other.send(new HeadBucketCommand({ Bucket: 'everywhere' }));
    } finally {
      other.destroy();
    }
  }
});

test('bucket error codes', { timeout: SUITE_TIMEOUT_MS }, async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'taken' }));
  assert.equal(await errorCode(suite.s3.send(new CreateBucketCommand({ Bucket: 'taken' }))), 'BucketAlreadyOwnedByYou');
  assert.equal(await errorCode(suite.s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' }))), 'InvalidBucketName');
  assert.equal(await errorCode(suite.s3.send(new CreateBucketCommand({
    Bucket: 'elsewhere', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
  }))), 'IllegalLocationConstraintException');
  assert.equal(await errorCode(suite.s3.send(new DeleteBucketCommand({ Bucket: 'never-made' }))), 'NoSuchBucket');
  await suite.s3.send(new PutObjectCommand({ Bucket: 'taken', Key: 'k', Body: 'x' }));
  assert.equal(await errorCode(suite.s3.send(new DeleteBucketCommand({ Bucket: 'taken' }))), 'BucketNotEmpty');
  await suite.s3.send(new DeleteObjectCommand({ Bucket: 'taken', Key: 'k' }));
  await suite.s3.send(new DeleteBucketCommand({ Bucket: 'taken' }));
});

test('a location constraint naming the cluster region is accepted', { timeout: SUITE_TIMEOUT_MS }, async () => {
  const other = s3Client(suite.c.endpoints[1]!, suite.c.credentials, { region: 'us-east-1' });
  try {
    await other.send(new CreateBucketCommand({ Bucket: 'located', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } }));
    await other.send(new HeadBucketCommand({ Bucket: 'located' }));
  } finally {
    other.destroy();
  }
});

test('versioning can be enabled and suspended', { timeout: SUITE_TIMEOUT_MS }, async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'versions' }));
  assert.equal((await suite.s3.send(new GetBucketVersioningCommand({ Bucket: 'versions' }))).Status, undefined);
  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'versions', VersioningConfiguration: { Status: 'Enabled' } }));
  assert.equal((await suite.s3.send(new GetBucketVersioningCommand({ Bucket: 'versions' }))).Status, 'Enabled');
  const put = await suite.s3.send(new PutObjectCommand({ Bucket: 'versions', Key: 'v', Body: 'one' }));
  assert.ok(put.VersionId && put.VersionId !== 'null', 'a versioned put names its version');
  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: 'versions', VersioningConfiguration: { Status: 'Suspended' } }));
  assert.equal((await suite.s3.send(new GetBucketVersioningCommand({ Bucket: 'versions' }))).Status, 'Suspended');
});

test('virtual-hosted addressing: bucket.localhost names the bucket in the Host header', { timeout: SUITE_TIMEOUT_MS }, async () => {
  await suite.s3.send(new CreateBucketCommand({ Bucket: 'vhost' }));
  const gateway = new URL(suite.c.endpoints[0]!);
  // Every name resolves to the zone's address, as DNS for a wildcard domain would.
  const lookup = ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (options?.all) cb(null, [{ address: gateway.hostname, family: 4 }]);
    else cb(null, gateway.hostname, 4);
  }) as unknown as LookupFunction;
  const seenHosts: string[] = [];
  const vhost = s3Client(`http://localhost:${gateway.port}`, suite.c.credentials, {
    forcePathStyle: false, requestHandler: { httpAgent: new Agent({ keepAlive: true, lookup } as never) },
  });
  vhost.middlewareStack.add((next) => async (args) => {
    seenHosts.push(String((args.request as { hostname?: string }).hostname));
    return next(args);
  }, { step: 'finalizeRequest', name: 'recordHost' });
  try {
    await vhost.send(new PutObjectCommand({ Bucket: 'vhost', Key: 'a/b.txt', Body: 'virtual' }));
    const got = await vhost.send(new GetObjectCommand({ Bucket: 'vhost', Key: 'a/b.txt' }));
    assert.equal((await bodyBytes(got.Body)).toString(), 'virtual');
    assert.ok(seenHosts.every((h) => h === 'vhost.localhost'), `hosts used: ${seenHosts.join(', ')}`);
    // The same object, path-style.
    const direct = await suite.s3.send(new GetObjectCommand({ Bucket: 'vhost', Key: 'a/b.txt' }));
    assert.equal((await bodyBytes(direct.Body)).toString(), 'virtual');
  } finally {
    vhost.destroy();
  }
});
