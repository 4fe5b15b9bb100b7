// The sandbox's pure parts: the per-bucket token bucket (no sockets, a fake clock) and the
// metrics registry's exposition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SandboxRateLimiter } from '../../../../services/gateway/http/sandbox-rate-limiter.ts';
import { GatewayMetrics } from '../../../../services/gateway/metrics/gateway-metrics.ts';

test('token bucket: a second\'s burst, then the rate; buckets are independent; a new rate applies', () => {
  const r = new SandboxRateLimiter();
  const taken = (bucket: string, rate: number, now: number, n: number) => Array.from({ length: n }, () => r.tryTake(bucket, rate, now)).filter(Boolean).length;
  assert.equal(taken('a', 5, 0, 10), 5, 'the burst is one second of tokens');
  assert.equal(taken('a', 5, 100, 10), 0, 'half a token after 100 ms');
  assert.equal(taken('a', 5, 400, 10), 2, 'two tokens by 400 ms');
  assert.equal(taken('b', 5, 400, 10), 5, 'another bucket is unaffected');
  assert.equal(taken('a', 5, 10_000, 100), 5, 'a long pause refills to capacity, no more');
  assert.equal(taken('a', 1, 20_000, 10), 1, 'a lowered rate caps the tokens');
  assert.equal(r.tryTake('a', 1, 19_000), false, 'a clock going back adds nothing');
  r.forget('a');
  assert.equal(taken('a', 2, 19_000, 10), 2, 'forgotten: starts full');
});

test('token bucket: bounded number of tracked buckets', () => {
  const r = new SandboxRateLimiter(3);
  for (const b of ['a', 'b', 'c', 'd']) assert.equal(r.tryTake(b, 1, 0), true);
  assert.equal(r.tryTake('d', 1, 0), false, 'the newest is still tracked');
  assert.equal(r.tryTake('a', 1, 0), true, 'the oldest was dropped and starts full');
});

test('metrics: sandboxed buckets from the lister (or those seen), request counts by outcome', async () => {
  const m = new GatewayMetrics(async () => ['listed']);
  m.sandboxRequest('seen', 'allowed');
  m.sandboxRequest('seen', 'allowed');
  m.sandboxRequest('seen', 'throttled');
  const text = await m.text();
  assert.match(text, /zonestore_bucket_sandboxed\{bucket="listed"\} 1/);
  assert.doesNotMatch(text, /zonestore_bucket_sandboxed\{bucket="seen"\}/);
  assert.match(text, /zonestore_sandbox_requests_total\{bucket="seen",outcome="allowed"\} 2/);
  assert.match(text, /zonestore_sandbox_requests_total\{bucket="seen",outcome="throttled"\} 1/);
  const offline = new GatewayMetrics(async () => { throw new Error('meta down'); });
  offline.sandboxRequest('seen', 'denied');
  assert.match(await offline.text(), /zonestore_bucket_sandboxed\{bucket="seen"\} 1/);
});
