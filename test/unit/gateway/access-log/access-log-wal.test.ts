import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { AccessLogWal, type WalEntry } from '../../../../services/gateway/access-log/access-log-wal.ts';
import { deliverSealed, logObjectsOf } from '../../../../services/gateway/access-log/access-log-delivery.ts';
import type { AccessLogRecord } from '../../../../services/gateway/access-log/access-log-record.ts';
import { StoreError } from '../../../../services/gateway/errors/store-error.ts';

const log = pino({ level: 'silent' });

function entry(i: number, bucket = 'src', target = 'logs'): WalEntry {
  const record = {
    id: `r${i}`, timeMs: Date.UTC(2026, 0, 1, 0, 0, i), remoteIp: '127.0.0.1', method: 'GET', requestUri: '/', httpVersion: '1.1',
    status: 200, bytesSent: 0, requestTimeMs: 1, serverTimeMs: 1, referer: '', userAgent: '', host: '', requestId: `q${i}`,
    requester: '', accessKeyId: '', operation: 'GetObject', bucket, key: 'k', errorCode: '', requestLength: 0, bucketOwner: 'o',
    signatureVersion: '', hostId: 'h', kind: 'access',
  } satisfies AccessLogRecord;
  return { record, targetBucket: target, targetPrefix: 'p/', format: 's3' };
}

function withDir(fn: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'al-wal-'));
    try { await fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
  };
}

test('a new WAL over a crashed one seals its records; a torn last line is skipped', withDir(async (dir) => {
  const first = new AccessLogWal(dir, 'gw');
  first.append(entry(1));
  first.append(entry(2));
  // No close(): the process "dies" here, leaving a half-written line.
  appendFileSync(join(dir, 'live.wal'), '{"record":{"id":"r3"');
  const second = new AccessLogWal(dir, 'gw');
  second.seal();
  const sealed = second.sealed();
  assert.equal(sealed.length, 1);
  assert.deepEqual(AccessLogWal.read(sealed[0]!.path).map((e) => e.record.id), ['r1', 'r2']);
  second.close();
}));

test('delivery: one object per target and logged bucket, keys stable across redelivery, file removed when stored', withDir(async (dir) => {
  const wal = new AccessLogWal(dir, 'gw');
  for (let i = 0; i < 5; i++) wal.append(entry(i, i % 2 ? 'a' : 'b'));
  wal.seal();
  const [file] = wal.sealed();
  const objects = logObjectsOf(file!, AccessLogWal.read(file!.path));
  assert.equal(objects.length, 2);
  assert.deepEqual(objects.map((o) => o.key), logObjectsOf(file!, AccessLogWal.read(file!.path)).map((o) => o.key));
  assert.match(objects[0]!.key, /^p\/b2026-01-01-00-00-00-gw1-[0-9a-f]{8}$/);

  const stored = new Map<string, Buffer>();
  let failNext = true;
  const flaky = async (bucket: string, key: string, body: Buffer) => {
    if (failNext && stored.size === 1) { failNext = false; throw new Error('zone down'); }
    stored.set(`${bucket}/${key}`, body);
  };
  await assert.rejects(deliverSealed(wal, flaky, log), /zone down/);
  assert.equal(wal.sealed().length, 1, 'kept for the next round');
  const r = await deliverSealed(wal, flaky, log);
  assert.equal(r.records, 5);
  assert.equal(stored.size, 2, 'the redelivered object overwrote its key');
  assert.equal([...stored.values()].reduce((n, b) => n + b.toString().split('\n').filter(Boolean).length, 0), 5);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('sealed')), []);
  wal.close();
}));

test('delivery: a target bucket that is gone drops its records', withDir(async (dir) => {
  const wal = new AccessLogWal(dir, 'gw');
  wal.append(entry(1));
  wal.seal();
  const r = await deliverSealed(wal, async () => { throw new StoreError('NoSuchBucket', 'gone'); }, log);
  assert.equal(r.records, 0);
  assert.equal(wal.sealed().length, 0);
  wal.close();
}));
