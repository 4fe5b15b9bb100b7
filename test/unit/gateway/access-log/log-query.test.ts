import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseWhere, WhereSyntaxError } from '../../../../services/gateway/access-log/where-expression.ts';
import { RecentLogIndex } from '../../../../services/gateway/access-log/recent-log-index.ts';
import type { AccessLogRecord } from '../../../../services/gateway/access-log/access-log-record.ts';

function rec(i: number, over: Partial<AccessLogRecord> = {}): AccessLogRecord {
  return {
    id: `r${i}`, timeMs: 1_000_000 + i * 1000, remoteIp: `10.0.0.${i % 3}`, method: 'GET', requestUri: '/', httpVersion: '1.1',
    status: i % 4 === 0 ? 404 : 200, bytesSent: i, requestTimeMs: 1, serverTimeMs: 1, referer: '', userAgent: '', host: '',
    requestId: `q${i}`, requester: '', accessKeyId: '', operation: i % 2 ? 'GetObject' : 'PutObject', bucket: 'b', key: `k${i}`,
    errorCode: '', requestLength: 0, bucketOwner: '', signatureVersion: '', hostId: '', kind: 'access', ...over,
  };
}

test('where: precedence, not, parentheses, prefix', () => {
  assert.deepEqual(parseWhere('status>=400 and operation=GetObject'), {
    kind: 'and', left: { kind: 'number', field: 'status', op: '>=', value: 400 },
    right: { kind: 'text', field: 'operation', op: '=', value: 'GetObject', prefix: false },
  });
  const e = parseWhere("a=1 or b=2".replace('a', 'status').replace('b', 'bytesSent'));
  assert.equal(e.kind, 'or');
  assert.equal(parseWhere('not (status<300) and key=logs/*').kind, 'and');
  assert.deepEqual(parseWhere("remoteIp='127.0.0.1'"), { kind: 'text', field: 'remoteIp', op: '=', value: '127.0.0.1', prefix: false });
});

test('where: clear errors', () => {
  assert.throws(() => parseWhere('colour=red'), (e: Error) => e instanceof WhereSyntaxError && /unknown field 'colour'/.test(e.message));
  assert.throws(() => parseWhere('status>=abc'), /'status' is a number; 'abc' is not/);
  assert.throws(() => parseWhere('operation>GetObject'), /only = and != apply/);
  assert.throws(() => parseWhere('status>=400 and'), /expected a field name, found the end/);
  assert.throws(() => parseWhere('(status=1'), /expected '\)'/);
  assert.throws(() => parseWhere("key='x"), /unterminated/);
  assert.throws(() => parseWhere(''), /empty expression/);
  assert.throws(() => parseWhere('status=1 status=2'), /unexpected 'status' \(at character 10\)/);
});

test('durations', () => {
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('30m'), 1_800_000);
  assert.equal(parseDuration('1x'), undefined);
});

test('index: filter, since, group-by, top, bucket', () => {
  const idx = new RecentLogIndex();
  for (let i = 0; i < 100; i++) idx.add(rec(i));
  idx.add(rec(100, { bucket: 'other', status: 500 }));
  const all = idx.query({ bucket: 'b', sinceMs: 0, where: parseWhere('status>=400'), top: 3 });
  assert.equal(all.matched, 25);
  assert.equal(all.records!.length, 3);
  assert.equal(all.records![0]!.key, 'k96');
  const g = idx.query({ bucket: 'b', sinceMs: 0, where: parseWhere('status=200'), groupBy: 'operation' });
  assert.deepEqual(g.groups, [{ value: 'GetObject', count: 50 }, { value: 'PutObject', count: 25 }]);
  const s = idx.query({ sinceMs: 1_000_000 + 90_000, groupBy: 'status' });
  assert.deepEqual(s.groups, [{ value: '200', count: 8 }, { value: '404', count: 2 }, { value: '500', count: 1 }]);
  assert.equal(idx.query({ bucket: 'nope', sinceMs: 0 }).matched, 0);
  assert.equal(idx.query({ sinceMs: 0, where: parseWhere('key=k9*') }).matched, 11);
  assert.equal(idx.query({ sinceMs: 0, where: parseWhere('not key=k9*') }).matched, 90);
});

test('index: rows older than the retention are dropped as it grows', () => {
  const idx = new RecentLogIndex(10_000, 1_000_000);
  for (let i = 0; i < 5000; i++) idx.add(rec(i));
  assert.ok(idx.rows < 2100, `kept ${idx.rows}`);
  assert.equal(idx.query({ sinceMs: 0 }).records![0]!.key, 'k4999');
});
